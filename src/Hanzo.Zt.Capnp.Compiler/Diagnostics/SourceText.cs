namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>A schema file's text with a line table, so byte offsets become line and column.</summary>
internal sealed class SourceText
{
    private readonly List<int> lineStarts = new() { 0 };

    public SourceText(string displayName, string text)
    {
        DisplayName = displayName;
        Text = text;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lineStarts.Add(i + 1);
            }
        }
    }

    public string DisplayName { get; }

    public string Text { get; }

    public SourceLocation Locate(TextSpan span)
    {
        var (line, column) = Position(span.Start);
        var (endLine, endColumn) = Position(Math.Max(span.Start, span.End));
        return new SourceLocation(DisplayName, line, column, endLine, endColumn);
    }

    private (int Line, int Column) Position(int offset)
    {
        offset = Math.Min(Math.Max(offset, 0), Text.Length);
        int index = lineStarts.BinarySearch(offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return (index + 1, offset - lineStarts[index] + 1);
    }
}
