using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Hanzo.Zt.AspNetCore.Tests;

/// <summary>The listening TCP sockets of a process, as <c>ss -ltnp</c> (iproute2) reports them.</summary>
internal static partial class ListeningSockets
{
    /// <summary>The local addresses (<c>127.0.0.1:5000</c>) on which process <paramref name="pid"/> listens for TCP.</summary>
    public static async Task<IReadOnlyList<string>> OfAsync(int pid)
    {
        var start = new ProcessStartInfo("ss", "-H -ltnp") { RedirectStandardOutput = true, UseShellExecute = false };
        using var ss = Process.Start(start) ?? throw new InvalidOperationException("ss (iproute2) could not be started");
        string output = await ss.StandardOutput.ReadToEndAsync();
        await ss.WaitForExitAsync();
        ss.ExitCode.ShouldBe(0, "ss -ltnp failed");

        string owner = $"pid={pid.ToString(CultureInfo.InvariantCulture)},";
        return output.Split('\n')
            .Where(line => line.Contains(owner, StringComparison.Ordinal))
            .Select(line => Columns().Split(line.Trim())[3])
            .ToList();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Columns();
}
