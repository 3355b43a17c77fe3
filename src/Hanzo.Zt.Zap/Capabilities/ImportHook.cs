using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>A capability the peer exported to this side (an entry of the import table).</summary>
internal sealed class ImportHook(ZapConnection connection, uint id, bool isPromise) : RemoteHook(connection)
{
    public uint Id { get; } = id;

    /// <summary>True when the peer exported it as a promise that a <c>Resolve</c> will settle.</summary>
    public bool IsPromise { get; } = isPromise;

    /// <summary>How many times the peer has sent this import: the count a <c>Release</c> gives back.</summary>
    public uint RemoteRefs { get; set; } = 1;

    protected override PromiseCore SendCall(OutgoingCall call) =>
        Connection.SendCall(call, TargetWriter);

    protected override void WriteTarget(StructBuilder target)
    {
        target.WriteUInt16(Rpc.MessageTarget.Tag, Rpc.MessageTarget.Imported);
        target.WriteUInt32(Rpc.MessageTarget.ImportedCap, Id);
    }

    /// <summary>The peer resolved this promise (a <c>Resolve</c>), owning the reference to <paramref name="resolution"/>.</summary>
    public void Resolve(CapHook resolution) => ResolveTo(resolution);

    /// <summary>The connection ended: calls fail from now on.</summary>
    public void Break(Exception error) => ResolveTo(new BrokenHook(error));

    protected override void OnReleased()
    {
        base.OnReleased();
        Connection.ReleaseImport(this);
    }
}
