using System.Net;
using System.Net.Sockets;
using Hanzo.Zt.Testing;
using Hanzo.Zt.Transport;
using Hanzo.Zt.Zap.Transports;

namespace Hanzo.Zt.Zap.Tests;

/// <summary>
/// Reads that complete on a connection's own receiving thread (<see cref="TcpTransport.ReceiveThreads"/>), over
/// real loopback sockets: data, end of stream, reset, cancellation, disposal and the thread budget.
/// </summary>
public sealed class DirectReceiveStreamTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_read_completes_on_the_connections_own_thread_and_end_of_stream_reads_zero()
    {
        var (peer, local) = await SocketPair.ConnectAsync();
        using var _ = peer;
        var budget = new ReceiveThreadBudget(1);
        await using var stream = new DirectReceiveStream(local, budget);
        var buffer = new byte[64];

        var read = ReadNamingThreadAsync(); // pending: nothing was sent yet
        stream.HasThread.ShouldBeTrue();
        budget.InUse.ShouldBe(1);
        peer.Send("hello"u8);
        var (received, completedOn) = await read.WaitAsync(Guard);

        received.ShouldBe(5);
        buffer.AsSpan(0, 5).SequenceEqual("hello"u8).ShouldBeTrue();
        completedOn.ShouldBe("ZAP receive");

        peer.Shutdown(SocketShutdown.Send);
        (await stream.ReadAsync(buffer).AsTask().WaitAsync(Guard)).ShouldBe(0);

        async Task<(int Received, string? Thread)> ReadNamingThreadAsync()
        {
            int n = await stream.ReadAsync(buffer).ConfigureAwait(false);
            return (n, Thread.CurrentThread.Name);
        }
    }

    [Fact]
    public async Task Disposing_the_stream_ends_the_read_its_thread_waits_on_and_returns_the_thread()
    {
        var (peer, local) = await SocketPair.ConnectAsync();
        using var _ = peer;
        var budget = new ReceiveThreadBudget(1);
        var stream = new DirectReceiveStream(local, budget);
        var read = stream.ReadAsync(new byte[64]).AsTask();
        await Task.Delay(200); // the thread is in the kernel, waiting on the socket

        await stream.DisposeAsync();

        var ended = await Should.ThrowAsync<Exception>(read.WaitAsync(Guard));
        ended.ShouldBeAssignableTo<ObjectDisposedException>();
        await UntilAsync(() => budget.InUse == 0);
    }

    [Fact]
    public async Task A_reset_by_the_peer_fails_the_read_with_an_IOException()
    {
        var (peer, local) = await SocketPair.ConnectAsync();
        await using var stream = new DirectReceiveStream(local, new ReceiveThreadBudget(1));
        var read = stream.ReadAsync(new byte[64]).AsTask();
        await Task.Delay(100);

        peer.LingerState = new LingerOption(true, 0);
        peer.Dispose(); // RST

        var failed = await Should.ThrowAsync<IOException>(read.WaitAsync(Guard));
        failed.InnerException.ShouldBeOfType<SocketException>();
    }

    [Fact]
    public async Task A_canceled_read_throws_and_the_next_read_gets_the_data()
    {
        var (peer, local) = await SocketPair.ConnectAsync();
        using var _ = peer;
        await using var stream = new DirectReceiveStream(local, new ReceiveThreadBudget(1));
        var buffer = new byte[64];
        using var cts = new CancellationTokenSource();

        var read = stream.ReadAsync(buffer, cts.Token).AsTask();
        await Task.Delay(100);
        cts.Cancel();
        var canceled = await Should.ThrowAsync<OperationCanceledException>(read.WaitAsync(Guard));
        canceled.CancellationToken.ShouldBe(cts.Token);
        await Should.ThrowAsync<OperationCanceledException>(stream.ReadAsync(buffer, cts.Token).AsTask().WaitAsync(Guard));

        using var next = new CancellationTokenSource();
        var again = stream.ReadAsync(buffer, next.Token).AsTask();
        peer.Send("after"u8);
        (await again.WaitAsync(Guard)).ShouldBe(5);
        buffer.AsSpan(0, 5).SequenceEqual("after"u8).ShouldBeTrue();
        next.Cancel(); // the registration of a completed read cancels nothing later
        var third = stream.ReadAsync(buffer).AsTask();
        peer.Send("x"u8);
        (await third.WaitAsync(Guard)).ShouldBe(1);
    }

    [Fact]
    public async Task A_connection_past_the_budget_reads_through_the_pool_and_an_idle_thread_goes_back_to_the_budget()
    {
        var (peerA, localA) = await SocketPair.ConnectAsync();
        var (peerB, localB) = await SocketPair.ConnectAsync();
        using var a = peerA;
        using var b = peerB;
        var budget = new ReceiveThreadBudget(1);
        var idle = TimeSpan.FromMilliseconds(300);
        await using var streamA = new DirectReceiveStream(localA, budget, idle);
        await using var streamB = new DirectReceiveStream(localB, budget, idle);
        var bufferA = new byte[64];
        var bufferB = new byte[64];

        var readA = streamA.ReadAsync(bufferA).AsTask();
        streamA.HasThread.ShouldBeTrue();
        var readB = streamB.ReadAsync(bufferB).AsTask();
        streamB.HasThread.ShouldBeFalse();
        peerB.Send("b"u8);
        (await readB.WaitAsync(Guard)).ShouldBe(1);

        // A's thread waits out the idle time, hands its pending read over and frees the budget for B.
        await UntilAsync(() => budget.InUse == 0);
        streamA.HasThread.ShouldBeFalse();
        readA.IsCompleted.ShouldBeFalse();
        readB = streamB.ReadAsync(bufferB).AsTask();
        streamB.HasThread.ShouldBeTrue();
        budget.InUse.ShouldBe(1);

        peerA.Send("a"u8);
        (await readA.WaitAsync(Guard)).ShouldBe(1);
        bufferA[0].ShouldBe((byte)'a');
        peerB.Send("bb"u8);
        (await readB.WaitAsync(Guard)).ShouldBe(2);
    }

    [Fact]
    public async Task An_idle_connection_keeps_its_thread_while_no_other_connection_wants_one()
    {
        var (peer, local) = await SocketPair.ConnectAsync();
        using var _ = peer;
        var budget = new ReceiveThreadBudget(1);
        var idle = TimeSpan.FromMilliseconds(100);
        await using var stream = new DirectReceiveStream(local, budget, idle);
        var buffer = new byte[64];

        // Idle for several timeouts with a read pending, then with none: the thread stays, and so does its slot.
        var read = ReadNamingThreadAsync();
        await Task.Delay(idle * 6);
        stream.HasThread.ShouldBeTrue();
        budget.InUse.ShouldBe(1);
        peer.Send("a"u8);
        (await read.WaitAsync(Guard)).ShouldBe((1, "ZAP receive"));

        await Task.Delay(idle * 6);
        stream.HasThread.ShouldBeTrue();
        read = ReadNamingThreadAsync();
        peer.Send("bc"u8);
        (await read.WaitAsync(Guard)).ShouldBe((2, "ZAP receive"));
        budget.InUse.ShouldBe(1);

        async Task<(int Received, string? Thread)> ReadNamingThreadAsync()
        {
            int n = await stream.ReadAsync(buffer).ConfigureAwait(false);
            return (n, Thread.CurrentThread.Name);
        }
    }

    [Fact]
    public async Task Calls_on_more_connections_than_the_budget_all_get_their_results()
    {
        var transports = new ZtTransportSelector([new TcpTransport { ReceiveThreads = 2 }]);
        var service = new TestService();
        using var bootstrap = ZapCapability.FromServer(service);
        await using var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), bootstrap, transports: transports);
        int port = ((IPEndPoint)listener.EndPoint).Port;

        var clients = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => ZapClient.ConnectAsync(new Uri($"tcp://127.0.0.1:{port}"), transports: transports)));
        try
        {
            var sums = await Task.WhenAll(clients.Select(async (client, c) =>
            {
                using var calc = client.Bootstrap();
                long sum = 0;
                for (int i = 0; i < 200; i++)
                {
                    using var request = calc.NewCall(TestService.Id, TestService.Add);
                    var p = request.InitParams(1, 0);
                    p.WriteInt32(0, c);
                    p.WriteInt32(1, i);
                    using var response = await request.Send();
                    sum += response.Results.ReadInt32(0);
                }

                return sum;
            })).WaitAsync(Guard);

            sums.ShouldBe(Enumerable.Range(0, 6).Select(c => 200L * c + (199 * 200 / 2)).ToArray());
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_caller_resumes_on_its_connections_receiving_thread()
    {
        await using var pair = await TcpPair.StartAsync(receiveThreads: 8);
        var calc = pair.Calc;
        var threads = await Task.Run(async () =>
        {
            var names = new List<string?> { await ReachReceivingThreadAsync(calc) };
            for (int i = 0; i < 5; i++)
            {
                (await AddAsync(calc, i, 1)).ShouldBe(i + 1);
                names.Add(Thread.CurrentThread.Name);
            }

            return names;
        }).WaitAsync(Guard);

        // Once there, each caller sends its next call from that thread and is resumed there when the answer is read.
        // On a loaded machine a caller preempted for longer than the watchdog's limit can have its answer read by the
        // thread that took the read over before it awaits, and then resumes through the pool: allow for one or two.
        threads.Count(name => name == "ZAP receive").ShouldBeGreaterThanOrEqualTo(threads.Count - 2, string.Join(", ", threads));
    }

    [Fact]
    public async Task A_caller_with_a_synchronization_context_resumes_there_and_not_on_the_receiving_thread()
    {
        await using var pair = await TcpPair.StartAsync(receiveThreads: 8);
        var (service, calc) = (pair.Service, pair.Calc);

        var context = new CountingContext();
        var done = new TaskCompletionSource<(int Posts, string? Thread)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            _ = RunAsync(); // returns once it awaits the answer, which the gate holds back until then
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        service.Gate.SetResult();
        var (posts, thread) = await done.Task.WaitAsync(Guard);
        posts.ShouldBeGreaterThan(0);
        thread.ShouldNotBe("ZAP receive");

        async Task RunAsync()
        {
            using var request = calc.NewCall(TestService.Id, TestService.Gated);
            using var response = await request.Send(); // no ConfigureAwait(false): resumes through the context
            done.SetResult((context.Posts, Thread.CurrentThread.Name));
        }
    }

    [Fact]
    public async Task A_caller_that_blocks_on_its_own_connection_on_the_receiving_thread_is_answered_through_a_new_thread()
    {
        await using var pair = await TcpPair.StartAsync(receiveThreads: 8);
        var calc = pair.Calc;

        var blocked = Task.Run(async () =>
        {
            string? resumedOn = await ReachReceivingThreadAsync(calc);
            int first = await AddAsync(calc, 10, 1);

            // Waits synchronously on the thread the answer came on: the next answer must be read by another thread.
            int second = AddAsync(calc, 20, 2).GetAwaiter().GetResult();
            int third = AddAsync(calc, 30, 3).GetAwaiter().GetResult();
            return (first, second, third, resumedOn);
        });

        var (first, second, third, resumedOn) = await blocked.WaitAsync(Guard);
        (first, second, third).ShouldBe((11, 22, 33));
        resumedOn.ShouldBe("ZAP receive");

        // The connection goes on as before.
        (await AddAsync(calc, 40, 4).WaitAsync(Guard)).ShouldBe(44);
    }

    [Fact]
    public async Task A_connect_canceled_before_it_starts_throws_and_a_refused_one_fails_as_a_connection_error()
    {
        var transport = new TcpTransport { ReceiveThreads = 2 };
        await Should.ThrowAsync<OperationCanceledException>(async () =>
            await transport.ConnectAsync(new IPEndPoint(IPAddress.Loopback, 1), new CancellationToken(canceled: true)));

        using var unused = new Socket(SocketType.Stream, ProtocolType.Tcp);
        unused.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // bound, never listening: a connect to it is refused
        var refused = await Should.ThrowAsync<ZtConnectionException>(async () =>
            await transport.ConnectAsync(unused.LocalEndPoint!));
        refused.Message.ShouldContain("could not connect");
    }

    /// <summary>
    /// Calls until a caller resumes on the connection's receiving thread: a call's answer can arrive before the caller
    /// awaits it (the sending thread preempted by the threads the send woke), and the caller then goes on where it was.
    /// </summary>
    private static async Task<string?> ReachReceivingThreadAsync(ZapCapability calc)
    {
        for (int attempt = 0; attempt < 100 && Thread.CurrentThread.Name != "ZAP receive"; attempt++)
        {
            (await AddAsync(calc, attempt, 1)).ShouldBe(attempt + 1);
        }

        return Thread.CurrentThread.Name;
    }

    private static async Task<int> AddAsync(ZapCapability calc, int a, int b)
    {
        using var request = calc.NewCall(TestService.Id, TestService.Add);
        var p = request.InitParams(1, 0);
        p.WriteInt32(0, a);
        p.WriteInt32(1, b);
        using var response = await request.Send();
        return response.Results.ReadInt32(0);
    }

    /// <summary>A ZAP server and a client connected to it over TCP, both with receiving threads, after one call.</summary>
    private sealed class TcpPair : IAsyncDisposable
    {
        private readonly ZapCapability _bootstrap;
        private readonly ZapListener _listener;
        private readonly ZapConnection _client;

        private TcpPair(TestService service, ZapCapability bootstrap, ZapListener listener, ZapConnection client)
        {
            (Service, _bootstrap, _listener, _client) = (service, bootstrap, listener, client);
            Calc = client.Bootstrap();
        }

        public TestService Service { get; }

        public ZapCapability Calc { get; }

        public static async Task<TcpPair> StartAsync(int receiveThreads)
        {
            var transports = new ZtTransportSelector([new TcpTransport { ReceiveThreads = receiveThreads }]);
            var service = new TestService();
            var bootstrap = ZapCapability.FromServer(service);
            var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), bootstrap, transports: transports);
            var client = await ZapClient.ConnectAsync(new Uri($"tcp://127.0.0.1:{((IPEndPoint)listener.EndPoint).Port}"), transports: transports);
            var pair = new TcpPair(service, bootstrap, listener, client);
            (await AddAsync(pair.Calc, 1, 1)).ShouldBe(2); // the connection now reads on its own thread
            return pair;
        }

        public async ValueTask DisposeAsync()
        {
            Calc.Dispose();
            await _client.DisposeAsync();
            await _listener.DisposeAsync();
            _bootstrap.Dispose();
        }
    }

    /// <summary>Runs posted work on the thread pool and counts it.</summary>
    private sealed class CountingContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref _posts);
            ThreadPool.QueueUserWorkItem(_ =>
            {
                SetSynchronizationContext(this);
                d(state);
            });
        }
    }

    [Fact]
    public void A_negative_budget_is_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new TcpTransport { ReceiveThreads = -1 });
        new TcpTransport { ReceiveThreads = 0 }.ReceiveThreads.ShouldBe(0);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Guard;
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline);
            await Task.Delay(20);
        }
    }
}
