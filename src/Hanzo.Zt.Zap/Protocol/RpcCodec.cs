using Hanzo.Zt.Capnp;

namespace Hanzo.Zt.Zap.Protocol;

/// <summary>Builds and reads the parts of RPC messages that several message types share.</summary>
internal static class RpcCodec
{
    /// <summary>RPC messages are small; a first segment of 1 KiB holds most calls without a second one.</summary>
    public static readonly MessageBuilderOptions BuilderOptions = new() { FirstSegmentWords = 128 };

    private static readonly Pooling.SmallPool<MessageBuilder> SharedSpares = new(256);

    /// <summary>Most pipelined paths are one or two pointer fields deep; longer ones are hostile.</summary>
    public const int MaxTransformLength = 64;

    /// <summary>One builder kept per thread for reuse: a thread sends one message at a time.</summary>
    [ThreadStatic]
    private static MessageBuilder? t_spare;

    /// <summary>A new message of <paramref name="kind"/>; the caller disposes it.</summary>
    public static MessageBuilder NewMessage(RpcMessageKind kind, int dataWords, int pointers, out StructBuilder body) =>
        Init(new MessageBuilder(BuilderOptions), kind, dataWords, pointers, out body);

    /// <summary>
    /// Like <see cref="NewMessage"/>, from a per-thread spare: give it back with <see cref="ReturnMessage"/> once
    /// nothing reads it any more (never dispose it).
    /// </summary>
    public static MessageBuilder RentMessage(RpcMessageKind kind, int dataWords, int pointers, out StructBuilder body)
    {
        var message = t_spare ?? SharedSpares.TryTake();
        t_spare = null;
        if (message is null)
        {
            message = new MessageBuilder(BuilderOptions);
        }
        else
        {
            message.Reset();
        }

        return Init(message, kind, dataWords, pointers, out body);
    }

    /// <summary>Keeps <paramref name="message"/> as a spare for a later <see cref="RentMessage"/> (a large one is disposed).</summary>
    public static void ReturnMessage(MessageBuilder message)
    {
        if (message.TotalWords > BuilderOptions.FirstSegmentWords * 4)
        {
            message.Dispose();
        }
        else if (t_spare is null)
        {
            t_spare = message;
        }
        else
        {
            // Messages are often returned on another thread than the one that rented them (a read loop moves
            // between pool threads): spares beyond one per thread are shared.
            SharedSpares.Return(message);
        }
    }

    private static MessageBuilder Init(MessageBuilder message, RpcMessageKind kind, int dataWords, int pointers, out StructBuilder body)
    {
        var root = message.InitRoot(Rpc.Message.DataWords, Rpc.Message.Pointers);
        root.WriteUInt16(Rpc.Message.Tag, (ushort)kind);
        body = root.InitStruct(Rpc.Message.Body, dataWords, pointers);
        return message;
    }

    public static RpcMessageKind ReadKind(StructReader root, out StructReader body)
    {
        var kind = (RpcMessageKind)root.ReadUInt16(Rpc.Message.Tag);
        body = kind is RpcMessageKind.Unimplemented ? default : root.ReadStruct(Rpc.Message.Body);
        return kind;
    }

    public static void WriteException(StructBuilder exception, Exception error)
    {
        var (type, reason) = error switch
        {
            ZapException zap => (zap.Type, zap.Message),
            OperationCanceledException => (ZapExceptionType.Failed, "the call was canceled"),
            NotImplementedException or NotSupportedException => (ZapExceptionType.Unimplemented, error.Message),
            _ => (ZapExceptionType.Failed, error.Message),
        };
        exception.WriteUInt16(Rpc.Exception.Type, (ushort)type);
        exception.WriteText(Rpc.Exception.Reason, reason);
    }

    public static ZapException ReadException(StructReader exception, string context)
    {
        var type = (ZapExceptionType)exception.ReadUInt16(Rpc.Exception.Type);
        if (type > ZapExceptionType.Unimplemented)
        {
            type = ZapExceptionType.Failed;
        }

        string reason = exception.ReadText(Rpc.Exception.Reason);
        string trace = exception.ReadText(Rpc.Exception.Trace);
        string message = string.IsNullOrEmpty(reason) ? $"{context}: the peer raised {type} with no reason" : $"{context}: {reason}";
        return new ZapException(type, message, isRemote: true, remoteTrace: string.IsNullOrEmpty(trace) ? null : trace);
    }

    public static void WritePromisedAnswer(StructBuilder promised, uint questionId, ReadOnlySpan<ushort> path)
    {
        promised.WriteUInt32(Rpc.PromisedAnswer.QuestionId, questionId);
        if (path.IsEmpty)
        {
            return;
        }

        var ops = promised.InitStructList(Rpc.PromisedAnswer.Transform, path.Length, Rpc.Op.DataWords, Rpc.Op.Pointers);
        for (int i = 0; i < path.Length; i++)
        {
            var op = ops.GetStruct(i);
            op.WriteUInt16(Rpc.Op.Tag, Rpc.Op.GetPointerField);
            op.WriteUInt16(Rpc.Op.PointerField, path[i]);
        }
    }

    /// <summary>Reads a <c>PromisedAnswer.transform</c> into pointer indexes; no-ops are dropped.</summary>
    /// <exception cref="ZapProtocolException">An op of an unknown kind, or a transform too long to be honest.</exception>
    public static ushort[] ReadTransform(StructReader promised)
    {
        var ops = promised.GetPointer(Rpc.PromisedAnswer.Transform);
        if (ops.IsNull)
        {
            return [];
        }

        var list = ops.GetList(ListElementSize.InlineComposite);
        if (list.Count > MaxTransformLength)
        {
            throw new ZapProtocolException($"a promised answer's transform has {list.Count} ops; at most {MaxTransformLength} are accepted");
        }

        var path = new List<ushort>(list.Count);
        for (int i = 0; i < list.Count; i++)
        {
            var op = list.GetStruct(i);
            switch (op.ReadUInt16(Rpc.Op.Tag))
            {
                case Rpc.Op.Noop:
                    break;
                case Rpc.Op.GetPointerField:
                    path.Add(op.ReadUInt16(Rpc.Op.PointerField));
                    break;
                default:
                    throw new ZapProtocolException($"a promised answer's transform has an op of unknown kind {op.ReadUInt16(Rpc.Op.Tag)}");
            }
        }

        return [.. path];
    }

    /// <summary>Follows a pipelined path from a payload's content to the capability pointer it names.</summary>
    public static PointerReader Walk(PointerReader content, ReadOnlySpan<ushort> path)
    {
        var pointer = content;
        foreach (ushort field in path)
        {
            if (pointer.IsNull)
            {
                return pointer;
            }

            var next = pointer.GetStruct();
            if (field >= next.PointerCount)
            {
                return default;
            }

            pointer = next.GetPointer(field);
        }

        return pointer;
    }
}
