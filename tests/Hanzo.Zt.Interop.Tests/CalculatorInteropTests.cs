namespace Hanzo.Zt.Interop.Tests;

/// <summary>The Calculator sample against the C++ peer on the reference RPC, both ways, as real processes.</summary>
public sealed class CalculatorInteropTests
{
    private static readonly string[] Checks =
        ["Evaluating a literal", "Using add and subtract", "Pipelining eval() calls", "Defining functions", "Using a callback"];

    [Fact]
    public async Task Our_calculator_client_passes_every_check_against_the_cpp_server()
    {
        var (server, port) = await CppPeer.ServeAsync("calc-serve");
        await using (server)
        {
            await using var client = PeerProcess.StartCalculator("client", $"tcp://127.0.0.1:{port}", "--framing", "standard");
            int exit = await client.WaitForExitAsync();

            exit.ShouldBe(0, client.Transcript);
            foreach (var check in Checks)
            {
                client.Lines.ShouldContain($"{check}... PASS");
            }
        }
    }

    [Fact]
    public async Task Cpp_client_passes_every_check_against_our_calculator_server()
    {
        await using var server = PeerProcess.StartCalculator("serve", "tcp://127.0.0.1:0", "--framing", "standard");
        string listening = await server.WaitForLineAsync("listening");
        int port = new Uri(listening.Split(' ')[2]).Port;

        await using var client = PeerProcess.Start(CppPeer.Path, "calc-client", $"127.0.0.1:{port}");
        int exit = await client.WaitForExitAsync();

        exit.ShouldBe(0, client.Transcript);
        client.Lines.ShouldBe(["literal: PASS", "operators: PASS", "pipelining: PASS", "functions: PASS", "callback: PASS"]);
    }
}
