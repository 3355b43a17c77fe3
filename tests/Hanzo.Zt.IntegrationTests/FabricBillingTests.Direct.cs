using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Hanzo.Zt.IntegrationTests;

// What the router bills for bytes it never sees: those a direct path carries between the two ends.
public sealed partial class FabricBillingTests
{
    [Fact]
    public async Task Bytes_a_direct_path_carries_past_the_router_are_charged_to_the_dialers_account()
    {
        string account = "direct/" + Unique();
        var setup = await Fabric.CreateServiceAsync("direct-billed");
        await Fabric.Admin.SetBillingAccountAsync(setup.ClientId, account);
        await fixture.DepositAsync(account, 100_000_000);
        await using var host = await Fabric.StartEchoHostAsync(setup);
        var input = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        const int BeforeDirect = 4096;

        // A few bytes on the relay, then the bulk once both ends have moved to the direct path.
        await using var dial = Fabric.StartDial(setup);
        var output = new MemoryStream();
        var receiving = dial.StandardOutput.CopyToAsync(output);
        await dial.StandardInput.WriteAsync(input.AsMemory(0, BeforeDirect));
        await dial.WaitForLineAsync("path: direct");
        await host.WaitForLineAsync("path: direct");
        await dial.StandardInput.WriteAsync(input.AsMemory(BeforeDirect));
        dial.StandardInput.Close();
        int exit = await dial.WaitForExitAsync();
        await receiving;
        exit.ShouldBe(0, dial.Transcript);
        SHA256.HashData(output.ToArray()).ShouldBe(SHA256.HashData(input));

        var metered = await Fabric.Router.WaitForLineAsync(l => l.Contains("metered circuit", StringComparison.Ordinal) && l.Contains($"'{account}'", StringComparison.Ordinal), $"the metered circuit of '{account}'");
        var total = CircuitTotal().Match(metered);
        total.Success.ShouldBeTrue(metered);
        long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(input.Length, "the dialer's bytes, direct ones included");
        long.Parse(total.Groups[2].Value, CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(input.Length, "the echo, direct ones included");
    }

    [GeneratedRegex(@"circuit total: sent=(\d+) received=(\d+)")]
    private static partial Regex CircuitTotal();
}
