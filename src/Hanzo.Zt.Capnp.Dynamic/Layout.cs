namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>
/// Line breaking shared by the text and JSON formats, as the reference tools break lines: a container stays
/// on one line when every item is short (and a struct's items are short together); otherwise each item goes
/// on its own line, the first right after the opening bracket for a bare value, or on a new line for a field's.
/// </summary>
internal static class Layout
{
    private const int MaxInlineItem = 24;
    private const int MaxInlineRecord = 64;

    public static string Join(IReadOnlyList<string> items, string open, string close, int indent, bool prefixed, bool isRecord, string separator)
    {
        if (CanInline(items, isRecord))
        {
            return open + string.Join(separator, items) + close;
        }

        string pad = "\n" + new string(' ', indent + 2);
        return open + (prefixed ? pad : " ") + string.Join("," + pad, items) + " " + close;
    }

    private static bool CanInline(IReadOnlyList<string> items, bool isRecord)
    {
        int total = 0;
        foreach (string item in items)
        {
            if (item.Length > MaxInlineItem || item.Contains('\n', StringComparison.Ordinal))
            {
                return false;
            }

            total += item.Length;
            if (isRecord && total > MaxInlineRecord)
            {
                return false;
            }
        }

        return true;
    }
}
