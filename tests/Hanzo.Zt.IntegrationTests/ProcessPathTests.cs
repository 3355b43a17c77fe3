using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>The path contract of the command line, through <c>zt</c> processes on loopback: <c>zt ping</c> and the <c>path:</c> lines.</summary>
public sealed class ProcessPathTests(ProcessFabricFixture fixture) : IClassFixture<ProcessFabricFixture>
{
    private ProcessFabric Fabric => fixture.Fabric;

    [Fact]
    public async Task Zt_ping_until_direct_prints_one_line_per_reply_and_stops_at_the_first_direct_one()
    {
        var setup = await Fabric.CreateServiceAsync("cli-ping");
        await using var host = await Fabric.StartEchoHostAsync(setup);

        await using var ping = Fabric.Spawn(["ping", setup.Service, "--identity", setup.ClientIdentity, "--until-direct", "--count", "60", "--timeout", "10"]);
        int exit = await ping.WaitForExitAsync();

        exit.ShouldBe(0, ping.Transcript);
        var pongs = ping.Transcript.Split('\n').Where(l => l.StartsWith("pong ", StringComparison.Ordinal)).ToList();
        pongs.ShouldNotBeEmpty(ping.Transcript);
        var relay = new Regex($@"^pong from {Regex.Escape(setup.HostId)} via relay 127\.0\.0\.1:{Fabric.RouterUrl.Port} in \d+(\.\d+)? ms$");
        var direct = new Regex($@"^pong from {Regex.Escape(setup.HostId)} via direct \d+\.\d+\.\d+\.\d+:\d+ in \d+(\.\d+)? ms$");
        pongs.ShouldAllBe(l => relay.IsMatch(l) || direct.IsMatch(l));
        direct.IsMatch(pongs[^1]).ShouldBeTrue(ping.Transcript);
        pongs.Take(pongs.Count - 1).ShouldAllBe(l => relay.IsMatch(l), "--until-direct stops at the first direct reply");
    }

    [Fact]
    public async Task Zt_dial_and_zt_echo_host_print_each_path_change_on_standard_error_and_the_bytes_stay_intact()
    {
        var setup = await Fabric.CreateServiceAsync("cli-path");
        await using var host = await Fabric.StartEchoHostAsync(setup);
        var input = RandomNumberGenerator.GetBytes(4 * 1024 * 1024 + 3);

        await using var dial = Fabric.StartDial(setup);
        var output = new MemoryStream();
        var receiving = dial.StandardOutput.CopyToAsync(output);
        (await dial.WaitForLineAsync("path: relay")).ShouldBe($"path: relay 127.0.0.1:{Fabric.RouterUrl.Port}");
        await dial.StandardInput.WriteAsync(input.AsMemory(0, input.Length / 2));
        (await dial.WaitForLineAsync("path: direct")).ShouldMatch(@"^path: direct \d+\.\d+\.\d+\.\d+:\d+$");
        (await host.WaitForLineAsync("path: direct")).ShouldMatch(@"^path: direct \d+\.\d+\.\d+\.\d+:\d+$");
        await dial.StandardInput.WriteAsync(input.AsMemory(input.Length / 2));
        dial.StandardInput.Close();
        int exit = await dial.WaitForExitAsync();
        await receiving;

        exit.ShouldBe(0, dial.Transcript);
        SHA256.HashData(output.ToArray()).ShouldBe(SHA256.HashData(input));
        host.Transcript.ShouldContain("path: relay 127.0.0.1:");
    }
}
