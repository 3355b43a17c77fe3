using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Capabilities;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap;

public sealed partial class ZapConnection
{
    private async Task ReadLoopAsync()
    {
        var input = _transport.Input;
        Exception? reason = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(_closing.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                bool stop = false;
                _writer.Cork();
                try
                {
                    while (!stop && TryTakeMessage(ref buffer, out var message))
                    {
                        stop = !Handle(message!);
                        if (!stop && _writer.PendingBytes >= PauseReadingBytes)
                        {
                            stop = !await WaitForRepliesToDrainAsync().ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    _writer.Uncork();
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (stop)
                {
                    return;
                }

                if (result.IsCompleted)
                {
                    reason = buffer.IsEmpty
                        ? ZapException.Disconnected("the peer closed the connection")
                        : new ZapProtocolException($"the peer closed the connection inside a message ({buffer.Length} bytes left over)");
                    break;
                }
            }
        }
        catch (ZapProtocolException e)
        {
            Shutdown(e, abortPeer: e);
            return;
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (CloseReason is not null)
        {
            // The connection is already closing; the transport failing under it is expected.
            _ = e;
            return;
        }
        catch (Exception e)
        {
            reason = ZapException.Disconnected($"reading from the transport failed: {e.Message}", e);
        }

        Shutdown(reason!, abortPeer: null);
    }

    /// <summary>
    /// Replies queued past this (a quarter of the send limit) pause reading: calls that arrive together, each with a
    /// large result, are answered as fast as the peer reads, and only a peer that does not read reaches the limit.
    /// </summary>
    private long PauseReadingBytes => _options.MaxPendingSendBytes / 4;

    /// <summary>
    /// Takes no more messages until the queued replies are below half the pause threshold; false (the connection is
    /// then shutting down) when the peer took none of them for <see cref="ZapConnectionOptions.SendStallTimeout"/>.
    /// </summary>
    private async Task<bool> WaitForRepliesToDrainAsync()
    {
        // The loop holds a cork while it handles a read: let the queued replies go while it waits.
        _writer.Uncork();
        bool drained;
        try
        {
            drained = await _writer.WaitForRoomAsync(PauseReadingBytes / 2, _options.SendStallTimeout, _closing.Token).ConfigureAwait(false);
        }
        finally
        {
            _writer.Cork();
        }

        if (!drained)
        {
            CutOffForNotReading(ZapException.Disconnected($"the peer is not reading: it took none of {_writer.PendingBytes} queued bytes in {_options.SendStallTimeout.TotalSeconds:0.#} s"));
        }

        return drained;
    }

    private readonly Pooling.SmallPool<ReceivedMessage> _receivedPool = new(64);

    private bool TryTakeMessage(ref System.Buffers.ReadOnlySequence<byte> buffer, out ReceivedMessage? message)
    {
        message = ReceivedMessage.Rent(_receivedPool, _options.ReaderOptions);
        try
        {
            if (MessageFraming.TryRead(ref buffer, _format, _options.MaxMessageBytes, message.Reader))
            {
                return true;
            }
        }
        catch (CapnpFormatException e)
        {
            message.Dispose();
            throw new ZapProtocolException($"malformed message: {e.Message}", e);
        }

        message.Dispose();
        message = null;
        return false;
    }

    /// <summary>Handles one message; false when the peer aborted and reading must stop.</summary>
    private bool Handle(ReceivedMessage received)
    {
        bool kept = false;
        var message = received.Reader;
        try
        {
            var root = message.GetRoot();
            var kind = RpcCodec.ReadKind(root, out var body);
            switch (kind)
            {
                case RpcMessageKind.Call:
                    kept = HandleCall(received, body);
                    break;
                case RpcMessageKind.Return:
                    kept = HandleReturn(received, body);
                    break;
                case RpcMessageKind.Finish:
                    HandleFinish(body);
                    break;
                case RpcMessageKind.Bootstrap:
                    HandleBootstrap(body);
                    break;
                case RpcMessageKind.Release:
                    ReleaseExport(body.ReadUInt32(Rpc.Release.Id), body.ReadUInt32(Rpc.Release.ReferenceCount));
                    break;
                case RpcMessageKind.Resolve:
                    HandleResolve(body);
                    break;
                case RpcMessageKind.Disembargo:
                    HandleDisembargo(message, body);
                    break;
                case RpcMessageKind.Abort:
                    Shutdown(RpcCodec.ReadException(body, "the peer aborted the connection"), abortPeer: null);
                    return false;
                case RpcMessageKind.Unimplemented:
                    HandleUnimplemented(root.ReadStruct(Rpc.Message.Body));
                    break;
                default:
                    SendUnimplemented(message);
                    break;
            }

            return true;
        }
        catch (CapnpFormatException e)
        {
            throw new ZapProtocolException($"malformed RPC message: {e.Message}", e);
        }
        finally
        {
            if (!kept)
            {
                received.Dispose();
            }
        }
    }

    private void HandleResolve(StructReader body)
    {
        uint promiseId = body.ReadUInt32(Rpc.Resolve.PromiseId);
        CapHook resolution = body.ReadUInt16(Rpc.Resolve.Tag) switch
        {
            Rpc.Resolve.Cap => ReadDescriptor(body.ReadStruct(Rpc.Resolve.Body)) ?? BrokenHook.Null(),
            Rpc.Resolve.Exception => new BrokenHook(RpcCodec.ReadException(body.ReadStruct(Rpc.Resolve.Body), "the promised capability broke")),
            var other => throw new ZapProtocolException($"a Resolve of unknown kind {other}"),
        };

        ImportHook? import = null;
        lock (_sync)
        {
            if (_imports.TryGetValue(promiseId, out var found) && found.TryAddRef())
            {
                import = found;
            }
        }

        if (import is null)
        {
            // Released before it resolved: the resolution is not wanted either.
            resolution.Release();
            return;
        }

        import.Resolve(resolution);
        import.Release();
    }

    private void HandleDisembargo(MessageReader message, StructReader body)
    {
        uint value = body.ReadUInt32(Rpc.Disembargo.ContextValue);
        switch (body.ReadUInt16(Rpc.Disembargo.Tag))
        {
            case Rpc.Disembargo.SenderLoopback:
                var target = ResolveTarget(body.ReadStruct(Rpc.Disembargo.Target));
                try
                {
                    if (target.Resolved is not RemoteHook { IsDirect: true } remote || remote.Connection != this)
                    {
                        throw new ZapProtocolException("a senderLoopback Disembargo names a capability that does not point back to the sender");
                    }

                    // Every call this side forwarded to the target is already queued ahead of the echo.
                    using var echo = RpcCodec.NewMessage(RpcMessageKind.Disembargo, Rpc.Disembargo.DataWords, Rpc.Disembargo.Pointers, out var echoBody);
                    remote.WriteDisembargoTarget(echoBody.InitStruct(Rpc.Disembargo.Target, Rpc.MessageTarget.DataWords, Rpc.MessageTarget.Pointers));
                    echoBody.WriteUInt16(Rpc.Disembargo.Tag, Rpc.Disembargo.ReceiverLoopback);
                    echoBody.WriteUInt32(Rpc.Disembargo.ContextValue, value);
                    TrySend(echo);
                }
                finally
                {
                    target.Release();
                }

                break;
            case Rpc.Disembargo.ReceiverLoopback:
                Embargo? embargo;
                lock (_sync)
                {
                    _embargoes.Remove(value, out embargo);
                }

                if (embargo is null)
                {
                    throw new ZapProtocolException($"a receiverLoopback Disembargo names embargo {value}, which was never set");
                }

                embargo.Gate.Resolve(embargo.Resolution);
                embargo.Gate.Release();
                break;
            default:
                SendUnimplemented(message);
                break;
        }
    }

    /// <summary>The peer did not understand a message this side sent.</summary>
    private void HandleUnimplemented(StructReader original)
    {
        var kind = RpcCodec.ReadKind(original, out var body);
        Log.PeerUnimplemented(_logger, kind.ToString());
        switch (kind)
        {
            case RpcMessageKind.Bootstrap:
            case RpcMessageKind.Call:
                uint id = body.ReadUInt32(0);
                RemoteQuestion? question;
                lock (_sync)
                {
                    _questions.Remove(id, out question);
                }

                question?.Settle(null, new ZapException(ZapExceptionType.Unimplemented, $"the peer does not implement {kind}", isRemote: true));
                break;
            case RpcMessageKind.Resolve when body.ReadUInt16(Rpc.Resolve.Tag) == Rpc.Resolve.Cap:
                var descriptor = body.ReadStruct(Rpc.Resolve.Body);
                ushort tag = descriptor.ReadUInt16(Rpc.CapDescriptor.Tag);
                if (tag is Rpc.CapDescriptor.SenderHosted or Rpc.CapDescriptor.SenderPromise)
                {
                    ReleaseExport(descriptor.ReadUInt32(Rpc.CapDescriptor.Id), 1);
                }

                break;
        }
    }

    private void SendUnimplemented(MessageReader received)
    {
        using var message = new MessageBuilder(RpcCodec.BuilderOptions);
        var root = message.InitRoot(Rpc.Message.DataWords, Rpc.Message.Pointers);
        root.WriteUInt16(Rpc.Message.Tag, (ushort)RpcMessageKind.Unimplemented);
        root.GetPointer(Rpc.Message.Body).SetFrom(received.Root);
        TrySend(message);
    }
}
