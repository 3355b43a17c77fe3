using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.NatTraversal;
using Hanzo.Zt.NatTraversal.HolePunch;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// Direct paths on loopback, through the in-process controller and router: a connection starts on the relay, moves
/// to a punched UDP path when it is proven, and back to the relay when that path dies, with the same end-to-end TLS
/// session and every byte intact.
/// </summary>
public sealed class DirectPathTests(FabricFixture fabric) : IClassFixture<FabricFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static ZtContextOptions WithHolePunching(INatTraversal? traversal = null) => new() { NatTraversal = traversal ?? new HolePunchNatTraversal() };

    [Fact]
    public async Task The_router_reflects_the_observed_address_only_to_a_valid_session_and_never_with_more_bytes_than_asked()
    {
        var setup = await fabric.CreateServiceAsync("reflect");
        string token = await RawEdge.SessionTokenAsync(fabric.Controller.Url, setup.ClientIdentity, setup.Service, "Dial");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var reflector = new IPEndPoint(IPAddress.Loopback, fabric.Router.EndPoint.Port);
        fabric.Router.ReflectorEndPoint.Port.ShouldBe(fabric.Router.EndPoint.Port);

        var forged = NatReflection.CreateRequest(RandomNumberGenerator.GetBytes(12), token[..^4] + "AAAA");
        var valid = RandomNumberGenerator.GetBytes(12);
        var request = NatReflection.CreateRequest(valid, token);
        await socket.SendToAsync(forged, reflector);
        await socket.SendToAsync(NatReflection.CreateRequest(RandomNumberGenerator.GetBytes(12), "not-a-token"), reflector);
        await socket.SendToAsync(request, reflector);

        var buffer = new byte[2048];
        var answer = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(Guard);
        NatReflection.TryReadResponse(buffer.AsSpan(0, answer.ReceivedBytes), valid, out var observed)
            .ShouldBeTrue("the first answer is to the valid request: the forged and garbage ones got none");
        observed.ShouldBe((IPEndPoint)socket.LocalEndPoint!);
        answer.ReceivedBytes.ShouldBeLessThanOrEqualTo(request.Length);
    }

    [Fact]
    public async Task A_connection_moves_from_the_relay_to_a_direct_path_mid_transfer_with_every_byte_intact()
    {
        var setup = await fabric.CreateServiceAsync("direct");
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity, WithHolePunching());
        await using var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        var received = Task.Run(() => ReceiveAllAsync(listener));
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity, WithHolePunching());
        await using var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);
        connection.Path.IsDirect.ShouldBeFalse("a connection starts on the relay");
        var direct = PathBecomes(connection, isDirect: true);

        using var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = await SendUntilAsync(connection, sent, direct.Task, extraAfter: 16 << 20);
        fabric.Relayed.Record();
        await SendAsync(connection, sent, 16 << 20);
        long relayedWhileDirect = fabric.Relayed.Snapshot().Length;
        await connection.CloseWriteAsync();
        var (count, digest) = await received.WaitAsync(Guard);

        (await direct.Task).Direct.ShouldNotBeNull();
        count.ShouldBe(total + (16 << 20));
        digest.ShouldBe(Convert.ToHexString(sent.GetHashAndReset()));
        relayedWhileDirect.ShouldBeLessThan(1 << 20, "once direct, the bulk of the bytes no longer goes through the router");
    }

    [Fact]
    public async Task A_direct_path_that_dies_mid_transfer_falls_back_to_the_relay_without_an_error_or_a_lost_byte()
    {
        var setup = await fabric.CreateServiceAsync("fallback");
        var cuttable = new CuttableTraversal(new HolePunchNatTraversal());
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity, WithHolePunching());
        await using var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        var received = Task.Run(() => ReceiveAllAsync(listener));
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity, WithHolePunching(cuttable));
        await using var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);
        var direct = PathBecomes(connection, isDirect: true);

        using var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = await SendUntilAsync(connection, sent, direct.Task, extraAfter: 8 << 20);
        var relay = PathBecomes(connection, isDirect: false);
        cuttable.Cut();
        await SendAsync(connection, sent, 8 << 20);
        (await relay.Task.WaitAsync(Guard)).IsDirect.ShouldBeFalse();
        await SendAsync(connection, sent, 8 << 20);
        await connection.CloseWriteAsync();
        var (count, digest) = await received.WaitAsync(Guard);

        count.ShouldBe(total + (16 << 20));
        digest.ShouldBe(Convert.ToHexString(sent.GetHashAndReset()));
    }

    [Fact]
    public async Task A_direct_path_that_damages_a_byte_is_left_for_the_relay_and_the_transfer_arrives_intact()
    {
        // One bit flipped on the host's side of the punched path, after the first megabyte it carries: the frame
        // fails its checksum, so it never reaches the end-to-end TLS session (whose record would not decrypt), and
        // the bytes come again on the relay.
        var setup = await fabric.CreateServiceAsync("damaged");
        var log = new ListLogger();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(log));
        var hostOptions = WithHolePunching(new DamagingTraversal(new HolePunchNatTraversal(), after: 1 << 20));
        hostOptions.LoggerFactory = loggers;
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity, hostOptions);
        await using var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        var received = Task.Run(() => ReceiveAllAsync(listener));
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity, WithHolePunching());
        await using var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);
        var direct = PathBecomes(connection, isDirect: true);

        using var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = await SendUntilAsync(connection, sent, direct.Task, extraAfter: 4 << 20);
        (await PathBecomes(connection, isDirect: false).Task.WaitAsync(Guard)).IsDirect.ShouldBeFalse("the damaged path was left");
        total += await SendAsync(connection, sent, 4 << 20);
        await connection.CloseWriteAsync();
        var (count, digest) = await received.WaitAsync(Guard);

        count.ShouldBe(total);
        digest.ShouldBe(Convert.ToHexString(sent.GetHashAndReset()));
        log.Lines.ShouldContain(line => line.Contains("was left", StringComparison.Ordinal) && line.Contains("checksum", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_echo_of_a_large_transfer_over_a_direct_path_never_stalls_with_both_ends_sending()
    {
        // The echo host reads a little, then writes it back: while its write waits for the dialer to make room, it
        // reads nothing, so its side must still take in what makes room (acknowledgements) behind unread data.
        await using var echo = await DirectEchoAsync("echo-direct");
        var connection = echo.Connection;

        const int Total = 16 << 20;
        using var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var echoed = Task.Run(() => StreamDigest.ReadToEndAsync(connection, 64 * 1024));
        await SendAsync(connection, sent, Total);
        // Checked before the end: once the echo host has sent everything back it closes, and its side of the direct
        // path with it, so the dialer may fall back to the relay before it reads the last bytes.
        connection.Path.IsDirect.ShouldBeTrue("the path held through the transfer");
        await connection.CloseWriteAsync();
        var (count, digest) = await echoed.WaitAsync(Guard);

        count.ShouldBe(Total);
        digest.ShouldBe(Convert.ToHexString(sent.GetHashAndReset()));
    }

    [Fact]
    public async Task An_echo_does_not_stall_when_the_dialer_takes_up_the_direct_path_after_the_host()
    {
        // The host moves to the direct path first and echoes there. Until the dialer takes up the path, nothing on the
        // dialer's side reads it, so the host's direct window fills, the echo stops reading, and the dialer's writes
        // wait for relay credit: the dialer must still take the path up and read it then.
        var setup = await fabric.CreateServiceAsync("late-direct");
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity, WithHolePunching());
        await using var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        _ = Echo.ServeAsync(listener);
        var late = new LateTraversal(new HolePunchNatTraversal(), TimeSpan.FromSeconds(2));
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity, WithHolePunching(late));
        await using var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);
        var direct = PathBecomes(connection, isDirect: true);
        await late.Punched.WaitAsync(Guard);

        const int Total = 32 << 20;
        using var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var echoed = Task.Run(() => StreamDigest.ReadToEndAsync(connection, 64 * 1024));
        await SendAsync(connection, sent, Total);
        await connection.CloseWriteAsync();
        var (count, digest) = await echoed.WaitAsync(Guard);

        count.ShouldBe(Total);
        digest.ShouldBe(Convert.ToHexString(sent.GetHashAndReset()));
        direct.Task.IsCompleted.ShouldBeTrue("the dialer took up the direct path");
    }

    [Fact]
    public async Task A_ping_reports_the_path_it_took()
    {
        await using var echo = await DirectEchoAsync("ping");
        var connection = echo.Connection;

        var pong = await connection.PingAsync().WaitAsync(Guard);

        pong.Path.IsDirect.ShouldBeTrue();
        pong.Path.ToString().ShouldStartWith("direct ");
        await Echo.RoundTripAsync(connection, "still the same TLS session");
    }

    /// <summary>A connection to an echo host, both ends able to punch, once its path has gone direct.</summary>
    private async Task<DirectEcho> DirectEchoAsync(string name)
    {
        var setup = await fabric.CreateServiceAsync(name);
        var host = ZtContext.FromIdentityFile(setup.HostIdentity, WithHolePunching());
        var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        _ = Echo.ServeAsync(listener);
        var client = ZtContext.FromIdentityFile(setup.ClientIdentity, WithHolePunching());
        var echo = new DirectEcho(host, listener, client, await client.DialAsync(setup.Service).WaitAsync(Guard));
        await PathBecomes(echo.Connection, isDirect: true).Task.WaitAsync(Guard);
        return echo;
    }

    /// <summary>What <see cref="DirectEchoAsync"/> opened, closed in the reverse order.</summary>
    private sealed record DirectEcho(ZtContext Host, ZtListener Listener, ZtContext Client, ZtConnection Connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Connection.DisposeAsync();
            await Client.DisposeAsync();
            await Listener.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    /// <summary>Completes with the connection's path once it is (or becomes) direct, or relayed.</summary>
    private static TaskCompletionSource<ZtConnectionPath> PathBecomes(ZtConnection connection, bool isDirect)
    {
        var changed = new TaskCompletionSource<ZtConnectionPath>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.PathChanged += (_, path) =>
        {
            if (path.IsDirect == isDirect)
            {
                changed.TrySetResult(path);
            }
        };
        // Already there counts: a busy machine can find a direct path dead before the test cuts it, and then the
        // connection is back on the relay before anyone asks.
        if (connection.Path.IsDirect == isDirect)
        {
            changed.TrySetResult(connection.Path);
        }

        return changed;
    }

    /// <summary>Sends random megabytes until <paramref name="until"/> completes, then <paramref name="extraAfter"/> more; returns the count.</summary>
    private static async Task<long> SendUntilAsync(ZtConnection connection, IncrementalHash hash, Task until, int extraAfter)
    {
        long total = 0;
        using var guard = new CancellationTokenSource(Guard);
        while (!until.IsCompleted)
        {
            guard.Token.ThrowIfCancellationRequested();
            total += await SendAsync(connection, hash, 256 * 1024);
        }

        return total + await SendAsync(connection, hash, extraAfter);
    }

    private static async Task<int> SendAsync(ZtConnection connection, IncrementalHash hash, int bytes)
    {
        var chunk = new byte[Math.Min(bytes, 256 * 1024)];
        for (int left = bytes; left > 0; left -= chunk.Length)
        {
            Random.Shared.NextBytes(chunk);
            hash.AppendData(chunk);
            await connection.WriteAsync(chunk).AsTask().WaitAsync(Guard);
        }

        return bytes;
    }

    private static async Task<(long Count, string Digest)> ReceiveAllAsync(ZtListener listener)
    {
        await using var connection = await listener.AcceptAsync();
        return await StreamDigest.ReadToEndAsync(connection);
    }

    /// <summary>Hole punching that hands its proven path over only <paramref name="delay"/> after the punch, as a busy dialer might.</summary>
    private sealed class LateTraversal(INatTraversal inner, TimeSpan delay) : INatTraversal
    {
        private readonly TaskCompletionSource _punched = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the punch has proven a path (or failed), before the path is handed over.</summary>
        public Task Punched => _punched.Task;

        public async ValueTask<INatPath?> ConnectAsync(NatSession session, CancellationToken cancellationToken = default)
        {
            try
            {
                var path = await inner.ConnectAsync(session, cancellationToken);
                path.ShouldNotBeNull("the punch on loopback proves a path");
                _punched.TrySetResult();
                await Task.Delay(delay, cancellationToken);
                return path;
            }
            catch (Exception e)
            {
                _punched.TrySetException(e);
                throw;
            }
        }
    }

    /// <summary>Hole punching whose path flips one bit of what it delivers, once <paramref name="after"/> bytes have come through.</summary>
    private sealed class DamagingTraversal(INatTraversal inner, long after) : INatTraversal
    {
        public async ValueTask<INatPath?> ConnectAsync(NatSession session, CancellationToken cancellationToken = default)
        {
            var path = await inner.ConnectAsync(session, cancellationToken);
            return path is null ? null : new DamagingPath(path, after);
        }

        private sealed class DamagingPath(INatPath inner, long after) : InterceptedPath(inner)
        {
            protected override void OnReceived(Span<byte> bytes, long offset)
            {
                if (offset <= after && after < offset + bytes.Length)
                {
                    bytes[(int)(after - offset)] ^= 0x10;
                }
            }
        }
    }

    /// <summary>Hole punching whose path the test can kill, as a dead-path detector would find it: no more bytes either way.</summary>
    private sealed class CuttableTraversal(INatTraversal inner) : INatTraversal
    {
        private InterceptedPath? _path;

        public void Cut() => _path?.Cut();

        public async ValueTask<INatPath?> ConnectAsync(NatSession session, CancellationToken cancellationToken = default)
        {
            var path = await inner.ConnectAsync(session, cancellationToken);
            return path is null ? null : _path = new InterceptedPath(path);
        }
    }

    /// <summary>A punched path whose received bytes pass through the test on their way to the reader, and which the test can cut.</summary>
    private class InterceptedPath(INatPath inner) : INatPath, IDuplexPipe
    {
        private readonly Pipe _input = new(new PipeOptions(pauseWriterThreshold: 0));
        private readonly CancellationTokenSource _cut = new();
        private int _copying;

        public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

        public IPEndPoint RemoteEndPoint => inner.RemoteEndPoint;

        public NatCandidateKind RemoteKind => inner.RemoteKind;

        public IDuplexPipe Transport => this;

        public PipeReader Input
        {
            get
            {
                if (Interlocked.Exchange(ref _copying, 1) == 0)
                {
                    _ = CopyAsync();
                }

                return _input.Reader;
            }
        }

        public PipeWriter Output => inner.Transport.Output;

        /// <summary>Sees each run of received bytes before the reader does; <paramref name="offset"/> counts from the path's first byte.</summary>
        protected virtual void OnReceived(Span<byte> bytes, long offset)
        {
        }

        private async Task CopyAsync()
        {
            var source = inner.Transport.Input;
            long offset = 0;
            try
            {
                while (true)
                {
                    var result = await source.ReadAsync(_cut.Token);
                    foreach (var segment in result.Buffer)
                    {
                        var bytes = segment.ToArray();
                        OnReceived(bytes, offset);
                        offset += bytes.Length;
                        await _input.Writer.WriteAsync(bytes, _cut.Token);
                    }

                    source.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted)
                    {
                        break;
                    }
                }

                await _input.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                await _input.Writer.CompleteAsync(e is OperationCanceledException ? new IOException("the direct path was cut") : e);
            }
        }

        public void Cut()
        {
            // Dropped both ways: what was in flight is lost, and this side stops hearing the peer.
            _cut.Cancel();
            _ = inner.DisposeAsync().AsTask();
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
