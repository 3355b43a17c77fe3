using System.Net;
using Calculator;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Interop.Tests;

/// <summary>Exceptions, pipelining, capabilities both ways and disconnects between ZAP and the reference C++ RPC.</summary>
public sealed class ProbeInteropTests
{
    private static readonly ZapConnectionOptions Standard = new() { Framing = ZapFraming.Standard };

    [Theory]
    [InlineData(ZapExceptionType.Failed)]
    [InlineData(ZapExceptionType.Overloaded)]
    [InlineData(ZapExceptionType.Disconnected)]
    [InlineData(ZapExceptionType.Unimplemented)]
    public async Task A_cpp_exception_arrives_as_a_remote_ZapException_of_its_type(ZapExceptionType type)
    {
        var (server, port) = await CppPeer.ServeAsync("probe-serve");
        await using (server)
        await using (var connection = await ConnectAsync(port))
        {
            using var probe = connection.Bootstrap();
            using var request = probe.NewCall(ProbeSchema.ProbeId, ProbeSchema.Fail);
            var parameters = request.InitParams(1, 1);
            parameters.WriteUInt16(0, (ushort)type);
            parameters.WriteText(0, "raised on request");

            var error = await Should.ThrowAsync<ZapException>(async () => (await request.Send()).Dispose());

            error.Type.ShouldBe(type);
            error.IsRemote.ShouldBeTrue();
            error.Message.ShouldContain("raised on request");
        }
    }

    [Fact]
    public async Task Calls_pipelined_on_a_cpp_answer_reach_the_capability_it_returns()
    {
        var (server, port) = await CppPeer.ServeAsync("probe-serve");
        await using (server)
        await using (var connection = await ConnectAsync(port))
        {
            using var probe = connection.Bootstrap();
            using var getCalculator = probe.NewCall(ProbeSchema.ProbeId, ProbeSchema.GetCalculator);
            getCalculator.InitParams(0, 0);
            using var calculatorPromise = getCalculator.Send();
            using var calculator = new CalculatorClient(calculatorPromise.GetPipelinedCapability(0));

            using var evaluate = calculator.NewEvaluateRequest();
            evaluate.Params.InitExpression().SetLiteral(7);
            using var evaluation = evaluate.Send();
            using var value = evaluation.Value;

            (await Evaluator.ReadAsync(value, CancellationToken.None)).ShouldBe(7);
        }
    }

    [Fact]
    public async Task Our_capability_passed_to_cpp_and_back_is_called_here()
    {
        var (server, port) = await CppPeer.ServeAsync("probe-serve");
        await using (server)
        await using (var connection = await ConnectAsync(port))
        {
            using var probe = connection.Bootstrap();
            var local = new CountingValue(42);
            using var mine = ZapCapability.FromServer(local);
            using var request = probe.NewCall(ProbeSchema.ProbeId, ProbeSchema.EchoCapability);
            request.InitParams(0, 1).GetPointer(0).SetCapability(request.AddCapability(mine));
            using var response = await request.Send();
            using var echoed = response.GetCapability(response.Results.GetPointer(0).GetCapabilityIndex());

            (await Evaluator.ReadValueAsync(echoed, CancellationToken.None)).ShouldBe(42);
            local.Reads.ShouldBe(1);
        }
    }

    [Fact]
    public async Task A_cpp_server_calls_back_into_our_capability()
    {
        var (server, port) = await CppPeer.ServeAsync("probe-serve");
        await using (server)
        await using (var connection = await ConnectAsync(port))
        {
            using var probe = connection.Bootstrap();
            var local = new CountingValue(9.5);
            using var mine = ZapCapability.FromServer(local);
            using var request = probe.NewCall(ProbeSchema.ProbeId, ProbeSchema.ReadBack);
            request.InitParams(0, 1).GetPointer(0).SetCapability(request.AddCapability(mine));
            using var response = await request.Send();

            response.Results.ReadFloat64(0).ShouldBe(9.5);
            local.Reads.ShouldBe(1);
        }
    }

    [Fact]
    public async Task A_cpp_server_dying_mid_call_fails_the_call_as_disconnected()
    {
        var (server, port) = await CppPeer.ServeAsync("probe-serve");
        await using (server)
        await using (var connection = await ConnectAsync(port))
        {
            using var probe = connection.Bootstrap();
            using var hang = probe.NewCall(ProbeSchema.ProbeId, ProbeSchema.Hang);
            hang.InitParams(0, 0);
            var hanging = hang.Send().ResponseAsync().AsTask();
            using var crash = probe.NewCall(ProbeSchema.ProbeId, ProbeSchema.Crash);
            crash.InitParams(0, 0);
            var crashing = crash.Send().ResponseAsync().AsTask();

            var error = await Should.ThrowAsync<ZapException>(hanging.WaitAsync(TimeSpan.FromSeconds(30)));
            error.Type.ShouldBe(ZapExceptionType.Disconnected);
            (await Should.ThrowAsync<ZapException>(crashing.WaitAsync(TimeSpan.FromSeconds(30)))).Type.ShouldBe(ZapExceptionType.Disconnected);
            await connection.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Cpp_client_passes_every_probe_check_against_our_server_and_sees_the_disconnect()
    {
        var probeServer = new ProbeServer();
        using var probe = ZapCapability.FromServer(probeServer);
        var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), probe, Standard);
        PeerProcess client;
        await using (listener)
        {
            client = PeerProcess.Start(CppPeer.Path, "probe-client", $"127.0.0.1:{((IPEndPoint)listener.EndPoint).Port}");
            await client.WaitForLineAsync("hanging");
            await probeServer.Hanging.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // The listener closed every connection with the C++ client's hang() call still running.
        await using (client)
        {
            int exit = await client.WaitForExitAsync();
            client.Lines.ShouldBe(
            [
                "exception-failed: PASS",
                "exception-overloaded: PASS",
                "exception-disconnected: PASS",
                "exception-unimplemented: PASS",
                "pipelined-calculator: PASS",
                "capability-round-trip: PASS",
                "callback: PASS",
                "hanging",
                "hang: disconnected",
            ]);
            exit.ShouldBe(0);
        }
    }

    private static Task<ZapConnection> ConnectAsync(int port) =>
        ZapClient.ConnectAsync(new Uri($"tcp://127.0.0.1:{port}"), Standard);

    private sealed class CountingValue(double value) : IZapServer
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public ValueTask DispatchAsync(ZapCallContext context)
        {
            Interlocked.Increment(ref _reads);
            context.InitResults(1, 0).WriteFloat64(0, value);
            return ValueTask.CompletedTask;
        }
    }
}
