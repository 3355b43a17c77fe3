namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>A half-open range of character offsets in one source file.</summary>
internal readonly struct TextSpan
{
    public TextSpan(int start, int end)
    {
        Start = start;
        End = end;
    }

    public int Start { get; }

    public int End { get; }

    public static TextSpan Cover(TextSpan first, TextSpan last) => new(first.Start, Math.Max(first.End, last.End));
}
