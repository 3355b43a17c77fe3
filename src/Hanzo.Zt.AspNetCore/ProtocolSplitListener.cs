using System.Buffers;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Hanzo.Zt.AspNetCore;

/// <summary>
/// One fabric bind shared by two Kestrel endpoints: each connection goes to the HTTP/2 endpoint when it opens with
/// the HTTP/2 connection preface (prior knowledge, as gRPC clients send over <c>http://</c>) and to the HTTP/1.1
/// endpoint otherwise. Kestrel picks HTTP/2 over clear text only on an HTTP/2-only endpoint, so this is how one
/// service serves both a browser-style client and gRPC.
/// </summary>
internal sealed class ProtocolSplitListener : IAsyncDisposable
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private static readonly TimeSpan PrefaceTimeout = TimeSpan.FromSeconds(30);
    private readonly IConnectionListener _fabric;
    private readonly Channel<ConnectionContext> _http1 = Channel.CreateUnbounded<ConnectionContext>();
    private readonly Channel<ConnectionContext> _http2 = Channel.CreateUnbounded<ConnectionContext>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _open = 2;

    public ProtocolSplitListener(IConnectionListener fabric)
    {
        _fabric = fabric;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The listener Kestrel's endpoint for <paramref name="http2"/> (or HTTP/1.1) connections accepts from.</summary>
    public IConnectionListener Side(EndPoint endpoint, bool http2) => new SideListener(this, endpoint, http2 ? _http2 : _http1);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            ConnectionContext? connection;
            try
            {
                connection = await _fabric.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (connection is null)
            {
                break;
            }

            _ = RouteAsync(connection);
        }

        _http1.Writer.TryComplete();
        _http2.Writer.TryComplete();
    }

    private async Task RouteAsync(ConnectionContext connection)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(PrefaceTimeout);
            bool http2 = await StartsWithPrefaceAsync(connection, timeout.Token).ConfigureAwait(false);
            if ((http2 ? _http2 : _http1).Writer.TryWrite(connection))
            {
                return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ZtException or ConnectionResetException)
        {
            // Said nothing in time, or went away before saying anything: there is no request to answer.
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Reads until the first bytes match or leave the preface, consuming nothing.</summary>
    private static async Task<bool> StartsWithPrefaceAsync(ConnectionContext connection, CancellationToken cancellationToken)
    {
        var input = connection.Transport.Input;
        var head = new byte[Preface.Length];
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            int n = (int)Math.Min(buffer.Length, Preface.Length);
            buffer.Slice(0, n).CopyTo(head);
            bool matches = head.AsSpan(0, n).SequenceEqual(Preface.AsSpan(0, n));
            if (!matches || n == Preface.Length || result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start);
                return matches && n == Preface.Length;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private async ValueTask CloseSideAsync()
    {
        if (Interlocked.Decrement(ref _open) == 0)
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        await _fabric.UnbindAsync().ConfigureAwait(false);
        await _accepting.ConfigureAwait(false);
        await _fabric.DisposeAsync().ConfigureAwait(false);
        foreach (var channel in new[] { _http1, _http2 })
        {
            while (channel.Reader.TryRead(out var waiting))
            {
                await waiting.DisposeAsync().ConfigureAwait(false);
            }
        }

        _stop.Dispose();
    }

    private sealed class SideListener(ProtocolSplitListener owner, EndPoint endpoint, Channel<ConnectionContext> connections) : IConnectionListener
    {
        private readonly CancellationTokenSource _unbound = new();
        private int _closed;

        public EndPoint EndPoint => endpoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
                return await connections.Reader.ReadAsync(either.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ChannelClosedException or OperationCanceledException or ObjectDisposedException)
            {
                return null;
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => DisposeAsync();

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                _unbound.Cancel();
                await owner.CloseSideAsync().ConfigureAwait(false);
            }
        }
    }
}
