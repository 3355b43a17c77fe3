namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>A range in a schema file, 1-based lines and columns as compilers print them.</summary>
public sealed class SourceLocation : IEquatable<SourceLocation>
{
    /// <summary>Creates a location.</summary>
    public SourceLocation(string file, int line, int column, int endLine, int endColumn)
    {
        File = file;
        Line = line;
        Column = column;
        EndLine = endLine;
        EndColumn = endColumn;
    }

    /// <summary>The file's display name (the path it was compiled or imported as).</summary>
    public string File { get; }

    /// <summary>The 1-based line where the range starts.</summary>
    public int Line { get; }

    /// <summary>The 1-based column where the range starts.</summary>
    public int Column { get; }

    /// <summary>The 1-based line where the range ends.</summary>
    public int EndLine { get; }

    /// <summary>The 1-based column just past the range's end.</summary>
    public int EndColumn { get; }

    /// <summary>Formats as <c>file:line:column</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";

    /// <inheritdoc/>
    public bool Equals(SourceLocation? other) =>
        other is not null && File == other.File && Line == other.Line && Column == other.Column
        && EndLine == other.EndLine && EndColumn == other.EndColumn;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SourceLocation);

    /// <inheritdoc/>
    public override int GetHashCode() => ((File.GetHashCode() * 31 + Line) * 31 + Column) * 31 + EndColumn;
}
