using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Capabilities;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap;

public sealed partial class ZapConnection
{
    private readonly Dictionary<uint, Answer> _answers = new();
    private readonly Stack<Answer> _answerPool = new();

    private Answer AddAnswer(uint questionId)
    {
        lock (_sync)
        {
            if (_answers.ContainsKey(questionId))
            {
                throw new ZapProtocolException($"the peer asked question {questionId} again before finishing it");
            }

            var answer = _answerPool.Count > 0 ? _answerPool.Pop() : new Answer();
            answer.Reset(questionId);
            _answers.Add(questionId, answer);
            return answer;
        }
    }

    /// <summary>Retires <paramref name="answer"/> and keeps it for a later question.</summary>
    private void RetireAnswer(Answer answer)
    {
        if (!answer.Retire())
        {
            return;
        }

        lock (_sync)
        {
            if (CloseReason is null && _answerPool.Count < MaxPooledQuestions)
            {
                _answerPool.Push(answer);
            }
        }
    }

    /// <summary>Handles a <c>Call</c>; true when the call context keeps <paramref name="message"/>.</summary>
    private bool HandleCall(IDisposable message, StructReader body)
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
            var cancellation = answer.RentCancellation();
            if (target.Resolved is LocalServerHook local)
            {
                // The common case: the parameters are read in place from the received message.
                var state = CallState.RentReceived(interfaceId, methodId, payload.GetPointer(Rpc.Payload.Content), caps, message, cancellation.Token);
                kept = true;
                answer.Promise = local.Dispatch(state, cancellation);
            }
            else
            {
                var forwarded = OutgoingCall.Rent(interfaceId, methodId);
                forwarded.CancellationToken = cancellation.Token;
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
            var response = ResponseCore.Rent(content, [_bootstrap.AddRef()], owner: null, new ReturnBuilder(message, returnBody, payload));
            answer.Promise = PromiseCore.Completed(response);
        }

        SendReturn(answer);
    }

    private void ReturnWhenDone(Answer answer)
    {
        var promise = answer.Promise!;
        if (promise.IsCompleted)
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
    /// <remarks>
    /// The answer leaves the table before its <c>Return</c> can reach the caller when the caller has already sent
    /// <c>Finish</c> (or as soon as that <c>Finish</c> arrives), so a caller that reuses the question id the moment
    /// the <c>Return</c> arrives never finds the old answer still in place. It is retired only once the send is over.
    /// </remarks>
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

        MessageBuilder? owned = null;
        try
        {
            var (message, exports) = BuildReturn(answer, canceled, ref owned);
            CommitReturn(answer, exports);
            try
            {
                Send(message);
            }
            catch (ZapException e)
            {
                // The results could not be sent (too large): the caller gets the reason instead, if it is still there.
                ReleaseExports(TakeResultExports(answer));
                if (IsOpen)
                {
                    SendExceptionReturn(answer.Id, e);
                }
            }
        }
        finally
        {
            owned?.Dispose();
            CompleteReturn(answer);
        }
    }

    /// <summary>Writes the <c>Return</c> message; a failure to write the results becomes an exception <c>Return</c>.</summary>
    private (MessageBuilder Message, List<uint>? Exports) BuildReturn(Answer answer, bool canceled, ref MessageBuilder? owned)
    {
        var promise = answer.Promise!;
        List<uint>? exports = null;
        try
        {
            MessageBuilder message;
            StructBuilder body;
            if (canceled || promise.Response is not { } response)
            {
                owned = message = RpcCodec.NewMessage(RpcMessageKind.Return, Rpc.Return.DataWords, Rpc.Return.Pointers, out body);
                if (canceled)
                {
                    body.WriteUInt16(Rpc.Return.Tag, Rpc.Return.Canceled);
                }
                else
                {
                    WriteExceptionReturn(body, promise.Error!);
                }
            }
            else
            {
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
            return (message, exports);
        }
        catch (Exception e) when (e is ZapException or CapnpFormatException)
        {
            ReleaseExports(exports);
            owned?.Dispose();
            owned = NewExceptionReturn(answer.Id, e);
            return (owned, null);
        }
    }

    /// <summary>The <c>Return</c> is about to be sent: if the caller already finished, the id is free again from here on.</summary>
    private void CommitReturn(Answer answer, List<uint>? exports)
    {
        lock (_sync)
        {
            answer.Returning = true;
            answer.ResultExports = exports;
            if (answer.FinishReceived)
            {
                RemoveAnswer(answer);
            }
        }
    }

    /// <summary>The send is over: retire the answer now if the caller has finished it, else when its <c>Finish</c> comes.</summary>
    private void CompleteReturn(Answer answer)
    {
        List<uint>? released = null;
        bool retire;
        lock (_sync)
        {
            answer.Returning = true;
            answer.ReturnSent = true;
            retire = answer.FinishReceived;
            if (retire)
            {
                RemoveAnswer(answer);
                if (answer.ReleaseResultCaps)
                {
                    released = answer.ResultExports;
                }

                answer.ResultExports = null;
            }
        }

        if (retire)
        {
            ReleaseExports(released);
            RetireAnswer(answer);
        }
    }

    private List<uint>? TakeResultExports(Answer answer)
    {
        lock (_sync)
        {
            var exports = answer.ResultExports;
            answer.ResultExports = null;
            return exports;
        }
    }

    /// <summary>Removes <paramref name="answer"/> from the table if it is still the entry for its id (the id may be reused).</summary>
    private void RemoveAnswer(Answer answer)
    {
        if (_answers.TryGetValue(answer.Id, out var current) && ReferenceEquals(current, answer))
        {
            _answers.Remove(answer.Id);
        }
    }

    private void SendExceptionReturn(uint answerId, Exception error)
    {
        using var message = NewExceptionReturn(answerId, error);
        TrySend(message);
    }

    private static MessageBuilder NewExceptionReturn(uint answerId, Exception error)
    {
        var message = RpcCodec.NewMessage(RpcMessageKind.Return, Rpc.Return.DataWords, Rpc.Return.Pointers, out var body);
        body.WriteUInt32(Rpc.Return.AnswerId, answerId);
        body.WriteBool(Rpc.Return.ReleaseParamCaps, false, defaultValue: true);
        WriteExceptionReturn(body, error);
        return message;
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
        bool returning;
        List<uint>? released = null;
        lock (_sync)
        {
            if (!_answers.TryGetValue(id, out answer) || answer.FinishReceived)
            {
                throw new ZapProtocolException($"received a Finish for question {id}, which is not pending");
            }

            answer.FinishReceived = true;
            answer.ReleaseResultCaps = releaseResultCaps;
            returning = answer.Returning;
            retire = answer.ReturnSent;
            if (returning)
            {
                // The Return is written (or being written): the id is free for the caller's next question.
                _answers.Remove(id);
            }

            if (retire && releaseResultCaps)
            {
                released = answer.ResultExports;
                answer.ResultExports = null;
            }
        }

        if (!returning)
        {
            answer.Cancel();
            return;
        }

        if (retire)
        {
            ReleaseExports(released);
            RetireAnswer(answer);
        }
    }
}
