using System.Security.Cryptography;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>The command-line verbs end to end: controller, router, host and client are each their own process.</summary>
public sealed class ProcessEchoTests
{
    [Fact]
    public async Task Bytes_piped_into_zt_dial_come_back_from_zt_echo_host_and_the_dialer_exits_cleanly()
    {
        await using var fabric = await ProcessFabric.StartAsync();
        var setup = await fabric.CreateServiceAsync("cli-echo", enrollWithCli: true);
        await using var host = await fabric.StartEchoHostAsync(setup);
        var input = RandomNumberGenerator.GetBytes(1024 * 1024 + 17);

        await using var dial = fabric.StartDial(setup);
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
}
