using BenchmarkDotNet.Attributes;
using Calculator;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Benchmarks.Rpc;

/// <summary>
/// The cost of generated stubs: the same add(1, 2) call made through the generated FunctionClient and
/// FunctionServer, and hand-written against the engine (ZapRequest / IZapServer). Target: within 5%.
/// Run with <c>./build.sh bench --filter '*StubOverhead*'</c>.
/// </summary>
[MemoryDiagnoser]
public class StubOverheadBenchmarks
{
    private static readonly double[] Operands = [1, 2];
    private ZapListener? _listener;
    private ZapConnection? _connection;
    private ZapCapability? _remoteHandWritten;
    private global::Calculator.Calculator.FunctionClient? _remoteGenerated;
    private ZapCapability? _localHandWritten;
    private global::Calculator.Calculator.FunctionClient? _localGenerated;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        // Remote: both call paths reach the generated server; the hand-written server below is the local baseline.
        using var calculator = ZapCapability.FromServer(new CalculatorServer(new CalculatorService()));
        _listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), calculator);
        _connection = await ZapClient.ConnectAsync(new Uri($"tcp://{_listener.EndPoint}"));
        using var client = new CalculatorClient(_connection.Bootstrap());
        using var promise = client.GetOperator(global::Calculator.Calculator.Operator.Add);
        _remoteGenerated = await promise;
        _remoteHandWritten = _remoteGenerated.Capability.Clone();
        _localHandWritten = ZapCapability.FromServer(new HandWrittenAdd());
        _localGenerated = global::Calculator.Calculator.FunctionClient.Serve(new GeneratedAdd());
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _remoteGenerated?.Dispose();
        _remoteHandWritten?.Dispose();
        _localGenerated?.Dispose();
        _localHandWritten?.Dispose();
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true)]
    public Task<double> LocalHandWritten() => HandWrittenCallAsync(_localHandWritten!);

    [Benchmark]
    public Task<double> LocalGenerated() => GeneratedCallAsync(_localGenerated!);

    [Benchmark]
    public Task<double> RemoteHandWritten() => HandWrittenCallAsync(_remoteHandWritten!);

    [Benchmark]
    public Task<double> RemoteGenerated() => GeneratedCallAsync(_remoteGenerated!);

    private static async Task<double> HandWrittenCallAsync(ZapCapability function)
    {
        using var request = function.NewCall(global::Calculator.Calculator.Function.InterfaceId, 0);
        var values = request.InitParams(0, 1).InitList(0, ListElementSize.EightBytes, 2);
        values.SetFloat64(0, 1);
        values.SetFloat64(1, 2);
        using var response = await request.Send();
        return response.Results.ReadFloat64(0);
    }

    private static async Task<double> GeneratedCallAsync(global::Calculator.Calculator.FunctionClient function)
    {
        using var call = function.Call(Operands);
        return await call;
    }

    /// <summary>add, written directly against the engine.</summary>
    private sealed class HandWrittenAdd : IZapServer
    {
        public ValueTask DispatchAsync(ZapCallContext context)
        {
            var list = context.Params.ReadList(0, ListElementSize.EightBytes);
            context.InitResults(1, 0).WriteFloat64(0, list.GetFloat64(0) + list.GetFloat64(1));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>add, implementing the generated contract.</summary>
    private sealed class GeneratedAdd : global::Calculator.Calculator.IFunction
    {
        public ValueTask<double> CallAsync(PrimitiveList<double> @params, CancellationToken cancellationToken) =>
            ValueTask.FromResult(@params[0] + @params[1]);
    }
}
