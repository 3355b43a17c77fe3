using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Hanzo.Zt.Generators;

/// <summary>A diagnostic as a plain value (no syntax trees held), so it can travel through the cached pipeline.</summary>
internal sealed record DiagnosticInfo(string Id, string Message, string? FilePath, int StartOffset, int Length, int Line, int Column, int EndLine, int EndColumn)
{
    public static DiagnosticInfo At(DiagnosticDescriptor descriptor, Location? location, string message)
    {
        if (location is null || location.SourceTree is null && !location.IsInSource)
        {
            return new DiagnosticInfo(descriptor.Id, message, null, 0, 0, 0, 0, 0, 0);
        }

        var span = location.GetLineSpan();
        return new DiagnosticInfo(descriptor.Id, message, span.Path, location.SourceSpan.Start, location.SourceSpan.Length,
            span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character);
    }

    public Diagnostic ToDiagnostic()
    {
        var descriptor = ZtDiagnostics.Find(Id);
        var location = FilePath is null
            ? Location.None
            : Location.Create(FilePath, new TextSpan(StartOffset, Length), new LinePositionSpan(new LinePosition(Line, Column), new LinePosition(EndLine, EndColumn)));
        return Diagnostic.Create(descriptor, location, Message);
    }
}
