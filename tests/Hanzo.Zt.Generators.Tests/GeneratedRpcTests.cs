using Hanzo.Zt.Capnp;
using Hanzo.Zt.Generators.Tests.Schemas;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>A generated client calling a generated server over tcp:// on loopback.</summary>
public sealed class GeneratedRpcTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private sealed class EchoService : IEcho
    {
        public ValueTask<string> EchoAsync(string text, uint times, CancellationToken cancellationToken) =>
            ValueTask.FromResult(string.Concat(Enumerable.Repeat(text, (int)times)));

        public ValueTask<(long Total, uint Count)> SumAsync(PrimitiveList<long> values, CancellationToken cancellationToken) =>
            ValueTask.FromResult((values.ToArray().Sum(), (uint)values.Count));

        public ValueTask<ICounter> CounterAsync(int start, CancellationToken cancellationToken) =>
            ValueTask.FromResult<ICounter>(new CounterService(start));

        public ValueTask<ReadOnlyMemory<byte>> ReverseAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            ValueTask.FromResult<ReadOnlyMemory<byte>>(data.ToArray().Reverse().ToArray());

        public ValueTask FailAsync(string message, CancellationToken cancellationToken) =>
            throw new ZapException(ZapExceptionType.Overloaded, message);
    }

    private sealed class CounterService(int next) : INamedCounter
    {
        public ValueTask<int> NextAsync(CancellationToken cancellationToken) => ValueTask.FromResult(next++);

        public ValueTask<string> NameAsync(CancellationToken cancellationToken) => ValueTask.FromResult("counter");
    }

    private static async Task<(ZapListener Listener, ZapConnection Connection, EchoClient Client)> StartAsync(IEcho service)
    {
        using var bootstrap = ZapCapability.FromServer(new EchoServer(service));
        var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), bootstrap);
        var connection = await ZapClient.ConnectAsync(new Uri($"tcp://{listener.EndPoint}"));
        return (listener, connection, new EchoClient(connection.Bootstrap()));
    }

    [Fact]
    public async Task Flattened_parameters_and_results_cross_the_wire()
    {
        var (listener, connection, echo) = await StartAsync(new EchoService());
        await using (listener)
        await using (connection)
        using (echo)
        {
            using var call = echo.Echo("ab", 3);
            (await call.ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe("ababab");
        }
    }

    [Fact]
    public async Task Several_results_come_back_as_a_tuple_and_lists_go_as_lists()
    {
        var (listener, connection, echo) = await StartAsync(new EchoService());
        await using (listener)
        await using (connection)
        using (echo)
        {
            using var call = echo.Sum([1, 2, 39]);
            var (total, count) = await call.ResultAsync().AsTask().WaitAsync(HangGuard);

            total.ShouldBe(42);
            count.ShouldBe(3u);
        }
    }

    [Fact]
    public async Task Data_round_trips()
    {
        var (listener, connection, echo) = await StartAsync(new EchoService());
        await using (listener)
        await using (connection)
        using (echo)
        {
            using var call = echo.Reverse(new byte[] { 1, 2, 3 });
            (await call.ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe(new byte[] { 3, 2, 1 });
        }
    }

    [Fact]
    public async Task A_returned_capability_is_called_through_the_pipeline_before_it_arrives()
    {
        var (listener, connection, echo) = await StartAsync(new EchoService());
        await using (listener)
        await using (connection)
        using (echo)
        {
            using var promise = echo.Counter(10);
            using var counter = promise.Counter;
            using var first = counter.Next();
            using var second = counter.Next();

            (await first.ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe(10);
            (await second.ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe(11);
        }
    }

    [Fact]
    public async Task A_server_of_a_derived_interface_answers_the_base_interface_id()
    {
        var (listener, connection, echo) = await StartAsync(new EchoService());
        await using (listener)
        await using (connection)
        using (echo)
        {
            using var promise = echo.Counter(5);
            using var named = new NamedCounterClient(promise.Counter.Capability.Clone());

            (await named.Name().ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe("counter");
            (await named.Next().ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe(5);
        }
    }

    [Fact]
    public async Task A_server_exception_reaches_the_caller_with_its_type()
    {
        var (listener, connection, echo) = await StartAsync(new EchoService());
        await using (listener)
        await using (connection)
        using (echo)
        {
            using var call = echo.Fail("busy");
            var error = await Should.ThrowAsync<ZapException>(() => call.ResultAsync().AsTask().WaitAsync(HangGuard));

            error.Type.ShouldBe(ZapExceptionType.Overloaded);
            error.Message.ShouldContain("busy");
        }
    }

    [Fact]
    public async Task A_proxy_is_usable_through_the_contract_interface()
    {
        var (listener, connection, echo) = await StartAsync(new EchoService());
        await using (listener)
        await using (connection)
        using (echo)
        {
            IEcho contract = echo;
            (await contract.EchoAsync("x", 2, CancellationToken.None).AsTask().WaitAsync(HangGuard)).ShouldBe("xx");
        }
    }
}
