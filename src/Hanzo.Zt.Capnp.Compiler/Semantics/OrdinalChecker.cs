namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>Checks that ordinals, taken in sorted order, run 0, 1, 2... with neither gaps nor repeats.</summary>
internal sealed class OrdinalChecker
{
    private readonly Compilation compilation;
    private readonly ParsedFile file;
    private int expected;
    private (int Ordinal, TextSpan Span)? last;

    public OrdinalChecker(Compilation compilation, ParsedFile file)
    {
        this.compilation = compilation;
        this.file = file;
    }

    public void Check(int ordinal, TextSpan span)
    {
        if (ordinal < expected)
        {
            compilation.Error(file, span, "Duplicate ordinal number.");
            if (last is { } original)
            {
                compilation.Error(file, original.Span, $"Ordinal @{original.Ordinal} originally used here.");
                last = null;
            }
        }
        else if (ordinal > expected)
        {
            compilation.Error(file, span, $"Skipped ordinal @{expected}.  Ordinals must be sequential with no holes.");
            expected = ordinal + 1;
        }
        else
        {
            expected++;
            last = (ordinal, span);
        }
    }
}
