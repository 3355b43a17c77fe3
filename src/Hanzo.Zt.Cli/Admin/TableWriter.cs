using System.Text.Json;

namespace Hanzo.Zt.Cli.Admin;

/// <summary>Prints rows as an aligned text table, or as JSON when <c>--json</c> was asked for.</summary>
internal static class TableWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task WriteAsync(TextWriter output, string[] columns, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        int[] widths = columns.Select((c, i) => Math.Max(c.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        await output.WriteLineAsync(Line(columns, widths));
        foreach (var row in all)
        {
            await output.WriteLineAsync(Line(row, widths));
        }
    }

    public static Task WriteJsonAsync(TextWriter output, object value) =>
        output.WriteLineAsync(JsonSerializer.Serialize(value, Indented));

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
