using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>A capability the results of a question will hold, called before they arrive (promise pipelining).</summary>
internal sealed class PipelineHook : RemoteHook
{
    private readonly RemoteQuestion _question;
    private readonly ushort[] _path;
    private int _questionHeld = 1;

    public PipelineHook(RemoteQuestion question, ushort[] path)
        : base(question.Connection)
    {
        // Holding the question keeps it from being canceled while calls may still be pipelined on it.
        _question = (RemoteQuestion)question.AddHandle();
        _path = path;
    }

    public uint QuestionId => _question.Id;

    public ReadOnlySpan<ushort> Path => _path;

    protected override PromiseCore SendCall(OutgoingCall call) =>
        Connection.SendCall(call, TargetWriter);

    protected override void WriteTarget(StructBuilder target)
    {
        target.WriteUInt16(Rpc.MessageTarget.Tag, Rpc.MessageTarget.Promised);
        RpcCodec.WritePromisedAnswer(target.InitStruct(Rpc.MessageTarget.PromisedAnswer, Rpc.PromisedAnswer.DataWords, Rpc.PromisedAnswer.Pointers), _question.Id, _path);
    }

    /// <summary>The question returned: take on the capability its results hold at this path.</summary>
    public void Settle(ResponseCore? response, Exception? error)
    {
        // The question stays held until this hook is released: the peer may still be sent this path as a
        // receiverAnswer descriptor, which needs the answer to exist (no Finish before then).
        ResolveTo(response is not null ? response.GetCapAt(_path) : new BrokenHook(error!));
    }

    protected override void OnReleased()
    {
        base.OnReleased();
        ReleaseQuestion();
    }

    private void ReleaseQuestion()
    {
        if (Interlocked.Exchange(ref _questionHeld, 0) == 1)
        {
            _question.ReleaseHandle();
        }
    }
}
