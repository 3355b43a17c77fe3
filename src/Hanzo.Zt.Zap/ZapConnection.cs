using System.IO.Pipelines;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Capabilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hanzo.Zt.Zap;

/// <summary>
/// One Cap'n Proto RPC session over a byte stream (a two-party vat network): the four tables of questions,
/// answers, exports and imports, promise pipelining and embargoes. Either side may call the other's bootstrap
/// capability and pass capabilities both ways.
/// </summary>
/// <remarks>
/// Messages are read by one loop and written in batches, one flush per batch of ready messages. When the
/// connection ends (the peer closes, sends <c>Abort</c>, breaks the protocol, or this side disposes it) every
/// outstanding call fails with a <see cref="ZapException"/> of type <see cref="ZapExceptionType.Disconnected"/>
/// (or the peer's abort reason), and every capability from the peer breaks.
/// </remarks>
public sealed partial class ZapConnection : IAsyncDisposable
{
    private readonly IDuplexPipe _transport;
    private readonly FrameFormat _format;
    private readonly ZapConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly CapHook? _bootstrap;
    private readonly IAsyncDisposable? _transportOwner;
    private readonly Transport.IZtUsageFeature? _usage;
    private readonly object _sync = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _closeReason;
    private bool _peerNotReading;
    private Task _readLoop = Task.CompletedTask;

    private ZapConnection(IDuplexPipe transport, ZapConnectionOptions options, ILogger? logger, IAsyncDisposable? transportOwner)
    {
        options.Validate();
        _transport = transport;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _transportOwner = transportOwner;
        _usage = (transportOwner as Microsoft.AspNetCore.Connections.ConnectionContext)?.Features.Get<Transport.IZtUsageFeature>();
        _format = options.Framing switch
        {
            ZapFraming.Zap => FrameFormat.LengthPrefixed,
            ZapFraming.Standard => FrameFormat.Standard,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Framing, "unknown framing"),
        };
        _writer = new PipeFrameWriter(transport.Output, _format, options.MaxMessageBytes, options.MaxPendingSendBytes, OnWriteFailed, _closing.Token);
        _bootstrap = options.Bootstrap?.Hook.AddRef();
    }

    /// <summary>
    /// Starts an RPC session over <paramref name="transport"/>. When <paramref name="transportOwner"/> is given,
    /// it is disposed when the connection ends; when it is a connection with an <see cref="Transport.IZtUsageFeature"/>,
    /// every call sent is counted into it.
    /// </summary>
    public static ZapConnection Start(IDuplexPipe transport, ZapConnectionOptions? options = null, ILogger? logger = null, IAsyncDisposable? transportOwner = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var connection = new ZapConnection(transport, options ?? new ZapConnectionOptions(), logger, transportOwner);
        connection._readLoop = Task.Run(connection.ReadLoopAsync);
        return connection;
    }

    /// <summary>Completes when the connection has ended, for whatever reason.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Why the connection ended; null while it is open.</summary>
    public Exception? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>True until the connection ends.</summary>
    public bool IsOpen => CloseReason is null;

    /// <summary>
    /// The peer's bootstrap capability. Returned at once as a promise: calls on it are pipelined on the
    /// <c>Bootstrap</c> question and fail if the peer offers none.
    /// </summary>
    public ZapCapability Bootstrap()
    {
        var question = SendBootstrap();
        var capability = new ZapCapability(question.GetPipelinedCap([]));
        question.ReleaseHandle();
        return capability;
    }

    /// <summary>Ends the connection: outstanding calls fail as disconnected and the transport is closed.</summary>
    public async ValueTask DisposeAsync()
    {
        Shutdown(ZapException.Disconnected("the connection was closed by this side"), abortPeer: null);
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch
        {
            // The loop reports through Shutdown; nothing more to surface here.
        }

        await _completion.Task.ConfigureAwait(false);
    }

    private ZapException ClosedError() =>
        CloseReason as ZapException ?? ZapException.Disconnected("the connection is closed", CloseReason);

    /// <summary>
    /// Ends the connection once: fails questions, breaks imports, cancels answers, releases exports. When
    /// <paramref name="abortPeer"/> is given, an <c>Abort</c> carrying it is sent first.
    /// </summary>
    private void Shutdown(Exception reason, Exception? abortPeer)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        if (reason is ZapProtocolException)
        {
            Log.ProtocolError(_logger, reason.Message);
        }
        else
        {
            Log.Closed(_logger, reason.Message);
        }

        if (abortPeer is not null)
        {
            TrySendAbort(abortPeer);
        }

        var error = reason is ZapException { Type: ZapExceptionType.Disconnected } or ZapException { IsRemote: true }
            ? (ZapException)reason
            : ZapException.Disconnected($"the connection was lost: {reason.Message}", reason);

        RemoteQuestion[] questions;
        Answer[] answers;
        CapHook[] exports;
        ImportHook[] imports;
        PromiseHook[] embargoes;
        lock (_sync)
        {
            questions = [.. _questions.Values];
            _questions.Clear();
            answers = [.. _answers.Values];
            _answers.Clear();
            exports = [.. _exports.Values.Select(e => e.Hook)];
            _exports.Clear();
            _exportIds.Clear();
            imports = [.. _imports.Values];
            _imports.Clear();
            embargoes = [.. _embargoes.Values.Select(e => e.Gate)];
            _embargoes.Clear();
        }

        foreach (var question in questions)
        {
            question.Break(error);
        }

        foreach (var import in imports)
        {
            import.Break(error);
        }

        foreach (var gate in embargoes)
        {
            gate.Resolve(new BrokenHook(error));
        }

        foreach (var answer in answers)
        {
            answer.Abandon();
        }

        foreach (var export in exports)
        {
            export.Release();
        }

        _bootstrap?.Release();
        _closing.Cancel();
        _ = CompleteShutdownAsync();
    }

    private async Task CompleteShutdownAsync()
    {
        try
        {
            // What did not reach the transport (a peer that stopped reading, a write that failed or timed out) is
            // dropped: the output completes with an error and the transport is aborted, so neither waits, unbounded,
            // to flush it. A peer known not to read gets no drain at all.
            var drainTimeout = Volatile.Read(ref _peerNotReading) ? TimeSpan.Zero : TimeSpan.FromSeconds(5);
            bool drained = await _writer.CloseAndDrainAsync(drainTimeout).ConfigureAwait(false);
            await _transport.Output.CompleteAsync(drained ? null : CloseReason).ConfigureAwait(false);
            if (!drained && _transportOwner is Microsoft.AspNetCore.Connections.ConnectionContext context)
            {
                var reason = ClosedError();
                context.Abort(new Microsoft.AspNetCore.Connections.ConnectionAbortedException(reason.Message, reason));
            }

            await _readLoop.ConfigureAwait(false);
            await _transport.Input.CompleteAsync().ConfigureAwait(false);
            if (_transportOwner is not null)
            {
                await _transportOwner.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            Log.TransportCloseFailed(_logger, e.Message);
        }
        finally
        {
            _closing.Dispose();
            _completion.TrySetResult();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "ZAP connection closed: {Reason}")]
        public static partial void Closed(ILogger logger, string reason);

        [LoggerMessage(2, LogLevel.Warning, "ZAP connection aborted: the peer broke the protocol: {Reason}")]
        public static partial void ProtocolError(ILogger logger, string reason);

        [LoggerMessage(3, LogLevel.Debug, "ZAP transport did not close cleanly: {Reason}")]
        public static partial void TransportCloseFailed(ILogger logger, string reason);

        [LoggerMessage(4, LogLevel.Debug, "ZAP peer reported unimplemented {Kind}")]
        public static partial void PeerUnimplemented(ILogger logger, string kind);

        [LoggerMessage(5, LogLevel.Debug, "ZAP call to {InterfaceId:x16}.{MethodId} failed: {Reason}")]
        public static partial void CallFailed(ILogger logger, ulong interfaceId, ushort methodId, string reason);
    }
}
