using System.Security.Cryptography;
using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>The command-line verbs end to end: controller, router, host and client are each their own process.</summary>
public sealed class ProcessEchoTests(ProcessFabricFixture fixture) : IClassFixture<ProcessFabricFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private ProcessFabric Fabric => fixture.Fabric;

    [Fact]
    public async Task Bytes_piped_into_zt_dial_come_back_from_zt_echo_host_and_the_dialer_exits_cleanly()
    {
        var setup = await Fabric.CreateServiceAsync("cli-echo", enrollWithCli: true);
        await using var host = await Fabric.StartEchoHostAsync(setup);
        var input = RandomNumberGenerator.GetBytes(1024 * 1024 + 17);

        await using var dial = Fabric.StartDial(setup);
        var output = new MemoryStream();
        var receiving = dial.StandardOutput.CopyToAsync(output);
        await dial.StandardInput.WriteAsync(input);
        dial.StandardInput.Close();
        int exit = await dial.WaitForExitAsync();
        await receiving;

        exit.ShouldBe(0, dial.Transcript);
        output.ToArray().ShouldBe(input);
        dial.Transcript.ShouldContain("connected");
    }

    [Fact]
    public async Task Killing_the_host_process_mid_stream_ends_the_client_connection_with_ConnectionClosed()
    {
        var setup = await Fabric.CreateServiceAsync("killed-host");
        var host = await Fabric.StartEchoHostAsync(setup);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);
        await using var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await Echo.RoundTripAsync(connection, "before the crash");

        await host.KillAsync();
        var failure = await Should.ThrowAsync<ZtConnectionException>(Echo.ReadUntilFailureAsync(connection).WaitAsync(Guard));

        failure.ErrorCode.ShouldBe(ZtErrorCode.ConnectionClosed);
    }
}
