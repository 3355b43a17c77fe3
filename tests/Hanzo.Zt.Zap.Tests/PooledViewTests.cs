namespace Hanzo.Zt.Zap.Tests;

/// <summary>
/// Requests, promises, responses and call contexts are views of pooled state: used out of turn they fail with a
/// typed error and never show another call's data, also once their state serves a later call.
/// </summary>
public sealed class PooledViewTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Awaiting_a_promise_a_second_time_fails_and_does_not_disturb_later_calls(bool local)
    {
        await using var target = await Target.StartAsync(local);
        var promise = target.Add(20, 1);
        using (var first = await promise)
        {
            first.Results.ReadInt32(0).ShouldBe(21);
            await Should.ThrowAsync<InvalidOperationException>(async () => await promise);
        }

        // The promise's state now serves another call: the stale promise still fails, the new call is intact.
        using var later = await target.Add(30, 2);
        await Should.ThrowAsync<InvalidOperationException>(async () => await promise);
        Should.Throw<InvalidOperationException>(() => promise.GetPipelinedCapability(0));
        promise.Dispose();
        later.Results.ReadInt32(0).ShouldBe(32);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_response_kept_after_dispose_fails_instead_of_showing_a_later_call(bool local)
    {
        await using var target = await Target.StartAsync(local);
        var response = await target.Add(1, 1);
        var copy = response;
        response.Dispose();

        using var later = await target.Add(40, 2);
        Should.Throw<ObjectDisposedException>(() => copy.Results);
        Should.Throw<ObjectDisposedException>(() => copy.CapabilityCount);
        copy.Dispose();
        response.Dispose();
        later.Results.ReadInt32(0).ShouldBe(42);
    }

    [Fact]
    public async Task A_promise_disposed_without_await_fails_when_awaited_and_later_calls_work()
    {
        await using var target = await Target.StartAsync(local: false);
        var promise = target.Add(1, 2);
        promise.Dispose();
        promise.Dispose();
        await Should.ThrowAsync<InvalidOperationException>(async () => await promise);
        using var later = await target.Add(5, 5);
        later.Results.ReadInt32(0).ShouldBe(10);
    }

    [Fact]
    public async Task A_request_sends_once_and_its_copies_fail_after()
    {
        await using var target = await Target.StartAsync(local: false);
        var request = target.Capability.NewCall(TestService.Id, TestService.Add);
        var copy = request;
        request.InitParams(1, 0).WriteInt32(0, 7);
        using var promise = request.Send();
        Should.Throw<InvalidOperationException>(() => copy.Send());
        Should.Throw<InvalidOperationException>(() => copy.InitParams(1, 0));
        copy.Dispose();
        request.Dispose();
        using var response = await promise;
        response.Results.ReadInt32(0).ShouldBe(7);
        Should.Throw<InvalidOperationException>(() => default(ZapRequest).Send());
    }

    [Fact]
    public async Task Empty_views_fail_with_typed_errors()
    {
        await Should.ThrowAsync<InvalidOperationException>(async () => await default(ZapPromise));
        Should.Throw<ObjectDisposedException>(() => default(ZapResponse).Results);
        Should.Throw<ObjectDisposedException>(() => default(ZapCallContext).Params);
        default(ZapPromise).Dispose();
        default(ZapResponse).Dispose();
        default(ZapRequest).Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_call_context_kept_after_dispatch_fails_instead_of_showing_a_later_call(bool local)
    {
        var keeper = new ContextKeeper();
        using var server = ZapCapability.FromServer(keeper);
        await using var target = await Target.StartAsync(local, server);
        using (var response = await target.Add(3, 4))
        {
            response.Results.ReadInt32(0).ShouldBe(7);
        }

        var kept = keeper.Kept;
        using (var later = await target.Add(8, 9))
        {
            later.Results.ReadInt32(0).ShouldBe(17);
        }

        Should.Throw<ObjectDisposedException>(() => kept.Params);
        Should.Throw<ObjectDisposedException>(() => kept.InitResults(1, 0));
    }

    /// <summary>Adds, and keeps each call's context past the call (which a server must not do).</summary>
    private sealed class ContextKeeper : IZapServer
    {
        public ZapCallContext Kept { get; private set; }

        public ValueTask DispatchAsync(ZapCallContext context)
        {
            Kept = context;
            context.InitResults(1, 0).WriteInt32(0, context.Params.ReadInt32(0) + context.Params.ReadInt32(1));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A capability to call: the test service over loopback TCP, or a server in this process.</summary>
    internal sealed class Target : IAsyncDisposable
    {
        private readonly Loopback? _loop;
        private readonly ZapCapability? _local;

        private Target(Loopback? loop, ZapCapability? local)
        {
            _loop = loop;
            _local = local;
        }

        public ZapCapability Capability => _local ?? _loop!.Bootstrap;

        public static async Task<Target> StartAsync(bool local, ZapCapability? server = null)
        {
            if (local)
            {
                return new Target(null, server?.Clone() ?? ZapCapability.FromServer(new TestService()));
            }

            if (server is null)
            {
                return new Target(await Loopback.StartAsync(), null);
            }

            // The given server behind a real connection.
            var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), server);
            var client = await ZapClient.ConnectAsync(new Uri($"tcp://{listener.EndPoint}"));
            return new Target(null, client.Bootstrap()) { _owned = (listener, client) };
        }

        private (ZapListener Listener, ZapConnection Client)? _owned;

        public ZapPromise Add(int a, int b)
        {
            using var request = Capability.NewCall(TestService.Id, TestService.Add);
            var p = request.InitParams(1, 0);
            p.WriteInt32(0, a);
            p.WriteInt32(1, b);
            return request.Send();
        }

        public async ValueTask DisposeAsync()
        {
            _local?.Dispose();
            if (_owned is var (listener, client))
            {
                await client.DisposeAsync();
                await listener.DisposeAsync();
            }

            if (_loop is not null)
            {
                await _loop.DisposeAsync();
            }
        }
    }
}
