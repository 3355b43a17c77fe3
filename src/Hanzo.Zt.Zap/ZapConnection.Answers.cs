using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Capabilities;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap;

public sealed partial class ZapConnection
{
    private readonly Dictionary<uint, Answer> _answers = new();

    private Answer AddAnswer(uint questionId)
    {
        var answer = new Answer(questionId);
        lock (_sync)
        {
            if (!_answers.TryAdd(questionId, answer))
            {
                throw new ZapProtocolException($"the peer asked question {questionId} again before finishing it");
            }
        }

        return answer;
    }

    /// <summary>Handles a <c>Call</c>; true when the call context keeps <paramref name="message"/>.</summary>
    private bool HandleCall(MessageReader message, StructReader body)
    {
        var answer = AddAnswer(body.ReadUInt32(Rpc.Call.QuestionId));
        _usage?.AddCallsServed(1);
        ulong interfaceId = body.ReadUInt64(Rpc.Call.InterfaceId);
        ushort methodId = body.ReadUInt16(Rpc.Call.MethodId);
        if (body.ReadUInt16(Rpc.Call.SendResultsToTag) != Rpc.Call.SendToCaller)
        {
            answer.Promise = PromiseCore.Failed(new ZapException(ZapExceptionType.Unimplemented, "results can only be sent to the caller (sendResultsTo.caller)"));
            SendReturn(answer);
            return false;
        }

        var target = ResolveTarget(body.ReadStruct(Rpc.Call.Target));
        bool kept = false;
        try
        {
            var payload = body.ReadStruct(Rpc.Call.Params);
            var caps = ReadCapTable(payload);
            var cancellation = new CancellationTokenSource();
            answer.Cancellation = cancellation;
            if (target.Resolved is LocalServerHook local)
            {
                // The common case: the parameters are read in place from the received message.
                var context = new ZapCallContext(interfaceId, methodId, payload.GetPointer(Rpc.Payload.Content), caps, message, cancellation.Token);
                kept = true;
                answer.Promise = local.Dispatch(context, cancellation);
            }
            else
            {
                var forwarded = new OutgoingCall(interfaceId, methodId) { CancellationToken = cancellation.Token };
                forwarded.Content.SetFrom(payload.GetPointer(Rpc.Payload.Content));
                foreach (var cap in caps)
                {
                    forwarded.AddCap(cap);
                }

                answer.Promise = target.Call(forwarded);
            }
        }
        finally
        {
            target.Release();
        }

        ReturnWhenDone(answer);
        return kept;
    }

    private void HandleBootstrap(StructReader body)
    {
        var answer = AddAnswer(body.ReadUInt32(Rpc.Bootstrap.QuestionId));
        if (_bootstrap is null)
        {
            answer.Promise = PromiseCore.Failed(new ZapException(ZapExceptionType.Failed, "this peer offers no bootstrap capability"));
        }
        else
        {
            var message = RpcCodec.NewMessage(RpcMessageKind.Return, Rpc.Return.DataWords, Rpc.Return.Pointers, out var returnBody);
            var payload = returnBody.InitStruct(Rpc.Return.Body, Rpc.Payload.DataWords, Rpc.Payload.Pointers);
            payload.GetPointer(Rpc.Payload.Content).SetCapability(0);
            var content = message.AsReader().GetRoot().ReadStruct(Rpc.Message.Body).ReadStruct(Rpc.Return.Body).GetPointer(Rpc.Payload.Content);
            var response = new ResponseCore(content, [_bootstrap.AddRef()], owner: null, new ReturnBuilder(message, returnBody, payload));
            answer.Promise = PromiseCore.Completed(response);
        }

        SendReturn(answer);
    }

    private void ReturnWhenDone(Answer answer)
    {
        var promise = answer.Promise!;
        if (promise.Task.IsCompleted)
        {
            SendReturn(answer);
        }
        else
        {
            _ = ReturnLaterAsync(answer, promise);
        }
    }

    private async Task ReturnLaterAsync(Answer answer, PromiseCore promise)
    {
        try
        {
            await promise.Task.ConfigureAwait(false);
        }
        catch
        {
            // Sent as an exception Return.
        }

        SendReturn(answer);
    }

    /// <summary>Sends the <c>Return</c> for a settled answer: results, exception, or canceled.</summary>
    private void SendReturn(Answer answer)
    {
        bool canceled;
        lock (_sync)
        {
            if (CloseReason is not null)
            {
                return;
            }

            canceled = answer.FinishReceived;
        }

        var task = answer.Promise!.Task;
        List<uint>? exports = null;
        MessageBuilder? owned = null;
        try
        {
            MessageBuilder message;
            StructBuilder body;
            if (canceled || !task.IsCompletedSuccessfully)
            {
                owned = message = RpcCodec.NewMessage(RpcMessageKind.Return, Rpc.Return.DataWords, Rpc.Return.Pointers, out body);
                if (canceled)
                {
                    body.WriteUInt16(Rpc.Return.Tag, Rpc.Return.Canceled);
                }
                else
                {
                    WriteExceptionReturn(body, task.Exception!.InnerException!);
                }
            }
            else
            {
                var response = task.Result;
                StructBuilder payload;
                if (response.ClaimReturnBuilder() is { } built)
                {
                    (message, body, payload) = (built.Message, built.Body, built.Payload);
                }
                else
                {
                    owned = message = RpcCodec.NewMessage(RpcMessageKind.Return, Rpc.Return.DataWords, Rpc.Return.Pointers, out body);
                    payload = body.InitStruct(Rpc.Return.Body, Rpc.Payload.DataWords, Rpc.Payload.Pointers);
                    payload.GetPointer(Rpc.Payload.Content).SetFrom(response.Content);
                }

                exports = WriteCapTable(payload, response.Caps);
            }

            body.WriteUInt32(Rpc.Return.AnswerId, answer.Id);
            body.WriteBool(Rpc.Return.ReleaseParamCaps, false, defaultValue: true);
            try
            {
                Send(message);
            }
            catch (ZapException e) when (IsOpen)
            {
                // The results could not be sent (too large): the caller gets the reason instead.
                ReleaseExports(exports);
                exports = null;
                SendExceptionReturn(answer.Id, e);
            }
        }
        catch (Exception e) when (e is ZapException or CapnpFormatException)
        {
            ReleaseExports(exports);
            exports = null;
            if (IsOpen)
            {
                SendExceptionReturn(answer.Id, e);
            }
        }
        finally
        {
            owned?.Dispose();
        }

        bool retire;
        lock (_sync)
        {
            answer.ReturnSent = true;
            answer.ResultExports = exports;
            retire = answer.FinishReceived && _answers.Remove(answer.Id);
        }

        if (retire)
        {
            answer.Retire();
        }
    }

    private void SendExceptionReturn(uint answerId, Exception error)
    {
        using var message = RpcCodec.NewMessage(RpcMessageKind.Return, Rpc.Return.DataWords, Rpc.Return.Pointers, out var body);
        body.WriteUInt32(Rpc.Return.AnswerId, answerId);
        body.WriteBool(Rpc.Return.ReleaseParamCaps, false, defaultValue: true);
        WriteExceptionReturn(body, error);
        TrySend(message);
    }

    private static void WriteExceptionReturn(StructBuilder body, Exception error)
    {
        body.WriteUInt16(Rpc.Return.Tag, Rpc.Return.Exception);
        RpcCodec.WriteException(body.InitStruct(Rpc.Return.Body, Rpc.Exception.DataWords, Rpc.Exception.Pointers), error);
    }

    private void HandleFinish(StructReader body)
    {
        uint id = body.ReadUInt32(Rpc.Finish.QuestionId);
        bool releaseResultCaps = body.ReadBool(Rpc.Finish.ReleaseResultCaps, defaultValue: true);
        Answer? answer;
        bool retire;
        List<uint>? released = null;
        lock (_sync)
        {
            if (!_answers.TryGetValue(id, out answer) || answer.FinishReceived)
            {
                throw new ZapProtocolException($"received a Finish for question {id}, which is not pending");
            }

            answer.FinishReceived = true;
            retire = answer.ReturnSent;
            if (retire)
            {
                _answers.Remove(id);
                if (releaseResultCaps)
                {
                    released = answer.ResultExports;
                }
            }
        }

        if (!retire)
        {
            answer.Cancel();
            return;
        }

        ReleaseExports(released);
        answer.Retire();
    }
}
