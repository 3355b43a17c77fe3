using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Capabilities;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap;

public sealed partial class ZapConnection
{
    private readonly Dictionary<uint, RemoteQuestion> _questions = new();
    private readonly Stack<uint> _freeQuestionIds = new();
    private uint _nextQuestionId;
    private readonly Stack<RemoteQuestion> _questionPool = new();
    private const int MaxPooledQuestions = 1024;
    private readonly Dictionary<uint, Embargo> _embargoes = new();
    private uint _nextEmbargoId;

    /// <summary>Sends <paramref name="call"/> to the peer as a new question (the hook writes the target).</summary>
    internal PromiseCore SendCall(OutgoingCall call, Action<StructBuilder> writeTarget)
    {
        if (TryRegister(out int outstanding) is not { } question)
        {
            call.Dispose();
            return PromiseCore.Failed(ClosedError());
        }

        try
        {
            var body = call.Body;
            body.WriteUInt32(Rpc.Call.QuestionId, question.Id);
            writeTarget(body.InitStruct(Rpc.Call.Target, Rpc.MessageTarget.DataWords, Rpc.MessageTarget.Pointers));
            question.ParamExports = WriteCapTable(call.Payload, call.Caps);
            if (outstanding > CoalesceAbove)
            {
                CoalesceWrites();
            }

            Send(call.Message);
            _usage?.AddCalls(1);
        }
        catch (Exception e)
        {
            Unregister(question);
            ReleaseExports(question.ParamExports);
            call.Dispose();
            Log.CallFailed(_logger, call.InterfaceId, call.MethodId, e.Message);
            return PromiseCore.Failed(e);
        }

        var cancellationToken = call.CancellationToken;
        call.Recycle();
        if (cancellationToken.CanBeCanceled)
        {
            question.CancelWith(cancellationToken);
        }

        return question;
    }

    private RemoteQuestion SendBootstrap()
    {
        if (TryRegister(out _) is not { } question)
        {
            question = new RemoteQuestion(this);
            question.Break(ClosedError());
            return question;
        }

        using var message = RpcCodec.NewMessage(RpcMessageKind.Bootstrap, Rpc.Bootstrap.DataWords, Rpc.Bootstrap.Pointers, out var body);
        body.WriteUInt32(Rpc.Bootstrap.QuestionId, question.Id);
        try
        {
            Send(message);
        }
        catch (Exception e)
        {
            Unregister(question);
            question.Break(e);
        }

        return question;
    }

    /// <summary>A new question in the table (a pooled one when there is one); null once the connection has ended.</summary>
    private RemoteQuestion? TryRegister(out int outstanding)
    {
        lock (_sync)
        {
            outstanding = _questions.Count;
            if (CloseReason is not null)
            {
                return null;
            }

            RemoteQuestion question;
            if (_questionPool.Count > 0)
            {
                question = _questionPool.Pop();
                question.Reset();
            }
            else
            {
                question = new RemoteQuestion(this);
            }

            question.Id = _freeQuestionIds.Count > 0 ? _freeQuestionIds.Pop() : _nextQuestionId++;
            _questions.Add(question.Id, question);
            return question;
        }
    }

    private void Unregister(RemoteQuestion question)
    {
        bool removed;
        lock (_sync)
        {
            removed = IsRegistered(question) && _questions.Remove(question.Id);
            if (removed)
            {
                _freeQuestionIds.Push(question.Id);
            }
        }

        if (removed)
        {
            question.MarkUnregistered();
        }
    }

    private bool IsRegistered(RemoteQuestion question) =>
        _questions.TryGetValue(question.Id, out var current) && ReferenceEquals(current, question);

    /// <summary>A question nothing holds any more: reset it for a later call.</summary>
    internal void RecycleQuestion(RemoteQuestion question)
    {
        lock (_sync)
        {
            if (CloseReason is null && _questionPool.Count < MaxPooledQuestions)
            {
                _questionPool.Push(question);
            }
        }
    }

    /// <summary>The caller lost interest before the <c>Return</c>: send <c>Finish</c> so the callee can stop.</summary>
    /// <remarks>
    /// The question keeps its id (and stays out of the pool) until its <c>Finish</c> is queued and its <c>Return</c>
    /// has arrived, whichever is later: a new question never shares an id with a <c>Finish</c> still to be sent.
    /// </remarks>
    internal void CancelQuestion(RemoteQuestion question)
    {
        lock (_sync)
        {
            if (question.Returned || question.FinishSent || !IsRegistered(question))
            {
                return;
            }

            question.FinishSent = true;
        }

        SendFinish(question.Id, releaseResultCaps: true);
        question.Break(new OperationCanceledException("the call was canceled"));
        bool returned;
        lock (_sync)
        {
            question.FinishQueued = true;
            returned = question.Returned;
        }

        if (returned)
        {
            Unregister(question);
        }
    }

    private void SendFinish(uint questionId, bool releaseResultCaps)
    {
        var message = RpcCodec.RentMessage(RpcMessageKind.Finish, Rpc.Finish.DataWords, Rpc.Finish.Pointers, out var body);
        body.WriteUInt32(Rpc.Finish.QuestionId, questionId);
        body.WriteBool(Rpc.Finish.ReleaseResultCaps, releaseResultCaps, defaultValue: true);
        TrySend(message);
        RpcCodec.ReturnMessage(message);
    }

    /// <summary>Handles a <c>Return</c>; true when the response keeps <paramref name="message"/>.</summary>
    private bool HandleReturn(IDisposable message, StructReader body)
    {
        uint id = body.ReadUInt32(Rpc.Return.AnswerId);
        RemoteQuestion? question;
        bool finishSent;
        bool finishQueued;
        lock (_sync)
        {
            if (!_questions.TryGetValue(id, out question) || question.Returned)
            {
                throw new ZapProtocolException($"received a Return for question {id}, which is not awaiting one");
            }

            question.Returned = true;
            finishSent = question.FinishSent;
            finishQueued = question.FinishQueued;
        }

        if (body.ReadBool(Rpc.Return.ReleaseParamCaps, defaultValue: true))
        {
            ReleaseExports(question.ParamExports);
        }

        ResponseCore? response = null;
        Exception? error = null;
        switch (body.ReadUInt16(Rpc.Return.Tag))
        {
            case var _ when finishSent:
                // The caller canceled (with releaseResultCaps: the callee releases any capabilities itself), and
                // whatever the callee answered, the caller sees its cancellation.
                error = new OperationCanceledException("the call was canceled");
                break;
            case Rpc.Return.Results:
                var payload = body.ReadStruct(Rpc.Return.Body);
                var caps = ReadCapTable(payload);
                response = ResponseCore.Rent(payload.GetPointer(Rpc.Payload.Content), caps, message);
                break;
            case Rpc.Return.Exception:
                error = RpcCodec.ReadException(body.ReadStruct(Rpc.Return.Body), "the call failed at the peer");
                break;
            case Rpc.Return.Canceled:
                error = new ZapException(ZapExceptionType.Failed, "the peer canceled the call", isRemote: true);
                break;
            default:
                throw new ZapProtocolException($"received a Return of kind {body.ReadUInt16(Rpc.Return.Tag)} for question {id}, which did not ask for results elsewhere");
        }

        // Pipelined capabilities take on their resolutions (and send disembargoes) before Finish ends the question.
        question.Settle(response, error);
        if (finishSent)
        {
            // The cancellation that sent Finish frees the id itself if its Finish is not queued yet.
            if (finishQueued)
            {
                Unregister(question);
            }
        }
        else
        {
            FinishIfUnused(question);
        }

        return response is not null;
    }

    /// <summary>
    /// Sends <c>Finish</c> once the question has returned and nothing here holds it any more (no promise, no
    /// response, no pipelined capability that could still name it), then frees its id.
    /// </summary>
    internal void FinishIfUnused(RemoteQuestion question)
    {
        lock (_sync)
        {
            if (!question.Returned || question.FinishSent || question.HandleCount > 0 || !IsRegistered(question))
            {
                return;
            }

            question.FinishSent = true;
        }

        SendFinish(question.Id, releaseResultCaps: false);
        Unregister(question);
    }

    /// <summary>Sets an embargo: calls wait on <paramref name="gate"/> until the peer reflects the disembargo.</summary>
    internal void SendDisembargo(Action<StructBuilder> writeTarget, PromiseHook gate, CapHook resolution)
    {
        uint embargoId;
        lock (_sync)
        {
            embargoId = _nextEmbargoId++;
            _embargoes.Add(embargoId, new Embargo(gate, resolution));
        }

        using var message = RpcCodec.NewMessage(RpcMessageKind.Disembargo, Rpc.Disembargo.DataWords, Rpc.Disembargo.Pointers, out var body);
        writeTarget(body.InitStruct(Rpc.Disembargo.Target, Rpc.MessageTarget.DataWords, Rpc.MessageTarget.Pointers));
        body.WriteUInt16(Rpc.Disembargo.Tag, Rpc.Disembargo.SenderLoopback);
        body.WriteUInt32(Rpc.Disembargo.ContextValue, embargoId);
        if (!TrySend(message))
        {
            lock (_sync)
            {
                _embargoes.Remove(embargoId);
            }

            gate.Resolve(new BrokenHook(ClosedError()));
            gate.Release();
            resolution.Release();
        }
    }

    /// <summary>Sends unless the connection has ended; false when it was not sent.</summary>
    private bool TrySend(MessageBuilder message)
    {
        try
        {
            Send(message);
            return true;
        }
        catch (ZapException)
        {
            return false;
        }
    }
}
