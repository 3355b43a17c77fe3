using System.Security.Cryptography;
using Xunit.Abstractions;

namespace Hanzo.Zt.IntegrationTests.NatLab;

/// <summary>
/// NAT traversal through real NATs: network namespaces with iptables, <c>zt</c> processes for controller, router,
/// host (behind NAT A) and dialer (behind NAT B). Textbook punching gets cone↔cone; birthday-style probing gets
/// cone↔symmetric; symmetric↔symmetric and no-UDP stay on the relay, which always works. The lab runs alone, after
/// the tests that run side by side: its success rates measure punching, not how busy the machine's two cores are.
/// </summary>
[Collection(nameof(NatLabCollection))]
public sealed class NatLabTests(NatLabFabric fabric, ITestOutputHelper output) : IClassFixture<NatLabFabric>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private NatLab Lab
    {
        get
        {
            Skip.If(fabric.Lab is null, NatLab.Unavailable);
            return fabric.Lab!;
        }
    }

    [SkippableFact]
    public async Task Cone_to_cone_gets_a_direct_path_and_carries_the_bytes_intact()
    {
        await Lab.SetAsync(NatType.Cone, NatType.Cone);
        var setup = await fabric.CreateServiceAsync("lab-cone");
        await using var host = await fabric.StartEchoHostAsync(setup);

        var (exit, pongs, transcript) = await fabric.PingAsync(setup, "--until-direct", "--count", "40", "--timeout", "5");

        exit.ShouldBe(0, transcript);
        pongs[^1].ShouldStartWith($"pong from {setup.HostId} via direct 203.0.113.2:", customMessage: transcript);
        await TransferAsync(setup, expectDirect: true);
    }

    [SkippableFact]
    public async Task Symmetric_to_symmetric_stays_on_the_relay_and_works()
    {
        await Lab.SetAsync(NatType.Symmetric, NatType.Symmetric);
        var setup = await fabric.CreateServiceAsync("lab-sym");
        await using var host = await fabric.StartEchoHostAsync(setup);

        // Longer than punching lasts: every reply still comes by the relay.
        var (exit, pongs, transcript) = await fabric.PingAsync(setup, "--count", "20", "--timeout", "5");

        exit.ShouldBe(0, transcript);
        pongs.Count.ShouldBe(20, transcript);
        pongs.ShouldAllBe(p => p.Contains(" via relay 203.0.113.1:"), transcript);
        await TransferAsync(setup, expectDirect: false);
    }

    [SkippableFact]
    public async Task Without_any_UDP_the_connection_works_over_the_relay()
    {
        await Lab.SetAsync(NatType.NoUdp, NatType.Cone);
        var setup = await fabric.CreateServiceAsync("lab-noudp");
        await using var host = await fabric.StartEchoHostAsync(setup);

        var (exit, pongs, transcript) = await fabric.PingAsync(setup, "--count", "20", "--timeout", "5");

        exit.ShouldBe(0, transcript);
        pongs.ShouldAllBe(p => p.Contains(" via relay 203.0.113.1:"), transcript);
        await TransferAsync(setup, expectDirect: false);
    }

    [SkippableFact]
    public async Task A_direct_path_cut_mid_transfer_falls_back_to_the_relay_with_the_transfer_intact()
    {
        await Lab.SetAsync(NatType.Cone, NatType.Cone);
        var setup = await fabric.CreateServiceAsync("lab-cut");
        await using var host = await fabric.StartEchoHostAsync(setup);
        var input = RandomNumberGenerator.GetBytes(24 * 1024 * 1024);

        await using var dial = fabric.StartDial(setup);
        var echoed = new MemoryStream();
        var receiving = dial.StandardOutput.CopyToAsync(echoed);
        try
        {
            await dial.StandardInput.WriteAsync(input.AsMemory(0, 4 << 20)).AsTask().WaitAsync(Guard);
            await dial.WaitForLineAsync("path: direct");
            await dial.StandardInput.WriteAsync(input.AsMemory(4 << 20, 4 << 20)).AsTask().WaitAsync(Guard);
            await Lab.CutUdpAsync(Lab.NatB);
            await dial.StandardInput.WriteAsync(input.AsMemory(8 << 20, 8 << 20)).AsTask().WaitAsync(Guard);
            await dial.WaitForLineAsync("path: relay", occurrence: 2);
            await dial.StandardInput.WriteAsync(input.AsMemory(16 << 20)).AsTask().WaitAsync(Guard);
            dial.StandardInput.Close();
            await receiving.WaitAsync(Guard);
        }
        catch (TimeoutException)
        {
            throw new ShouldAssertException($"the transfer stalled after {echoed.Length} bytes came back\ndial:\n{dial.Transcript}\nhost:\n{host.Transcript}");
        }

        int exit = await dial.WaitForExitAsync();

        exit.ShouldBe(0, dial.Transcript);
        SHA256.HashData(echoed.ToArray()).ShouldBe(SHA256.HashData(input), "every byte came back, across the fall back to the relay");
        await host.WaitForLineAsync("path: relay", occurrence: 2);
    }

    [SkippableTheory]
    [InlineData(NatType.Cone, NatType.Symmetric)]
    [InlineData(NatType.Symmetric, NatType.Cone)]
    public async Task Cone_and_symmetric_get_a_direct_path_in_at_least_nine_of_ten_fresh_attempts(NatType hostSide, NatType dialerSide)
    {
        await Lab.SetAsync(hostSide, dialerSide);
        var setup = await fabric.CreateServiceAsync("lab-birthday");
        await using var host = await fabric.StartEchoHostAsync(setup);
        int direct = 0;
        for (int attempt = 1; attempt <= 10; attempt++)
        {
            await Lab.FlushUdpAsync();
            var (exit, pongs, transcript) = await fabric.PingAsync(setup, "--until-direct", "--count", "30", "--timeout", "5");
            bool ok = exit == 0 && pongs.Count > 0 && pongs[^1].Contains(" via direct ");
            direct += ok ? 1 : 0;
            output.WriteLine($"attempt {attempt}: {(ok ? pongs[^1] : "relay only\n" + transcript)}");
        }

        direct.ShouldBeGreaterThanOrEqualTo(9);
    }

    /// <summary>Echoes 8 MiB through <c>zt dial</c> and checks them by hash, and which path the dialer reported.</summary>
    private async Task TransferAsync(ServiceSetup setup, bool expectDirect)
    {
        var input = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        await using var dial = fabric.StartDial(setup);
        var echoed = new MemoryStream();
        var receiving = dial.StandardOutput.CopyToAsync(echoed);
        if (expectDirect)
        {
            await dial.WaitForLineAsync("path: direct");
        }

        await dial.StandardInput.WriteAsync(input);
        dial.StandardInput.Close();
        int exit = await dial.WaitForExitAsync();
        await receiving;

        exit.ShouldBe(0, dial.Transcript);
        SHA256.HashData(echoed.ToArray()).ShouldBe(SHA256.HashData(input));
        dial.Transcript.Contains("path: direct").ShouldBe(expectDirect, dial.Transcript);
    }
}
