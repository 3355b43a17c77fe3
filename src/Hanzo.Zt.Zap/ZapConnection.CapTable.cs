using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Capabilities;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap;

public sealed partial class ZapConnection
{
    /// <summary>More capabilities than this in one payload is not a real message.</summary>
    private const int MaxCapTableEntries = 1 << 16;

    private readonly Dictionary<uint, Export> _exports = new();
    private readonly Dictionary<CapHook, uint> _exportIds = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<uint> _freeExportIds = new();
    private uint _nextExportId;
    private readonly Dictionary<uint, ImportHook> _imports = new();

    /// <summary>Writes a payload's cap table; returns the export ids it took references on (null when none).</summary>
    private List<uint>? WriteCapTable(StructBuilder payload, IReadOnlyList<CapHook?> caps)
    {
        if (caps.Count == 0)
        {
            return null;
        }

        var table = payload.InitStructList(Rpc.Payload.CapTable, caps.Count, Rpc.CapDescriptor.DataWords, Rpc.CapDescriptor.Pointers);
        List<uint>? exports = null;
        for (int i = 0; i < caps.Count; i++)
        {
            WriteDescriptor(table.GetStruct(i), caps[i], ref exports);
        }

        return exports;
    }

    private void WriteDescriptor(StructBuilder descriptor, CapHook? hook, ref List<uint>? exports)
    {
        if (hook is null)
        {
            return; // none
        }

        var target = hook.Resolved;
        switch (target)
        {
            case ImportHook import when import.Connection == this && import.IsDirect:
                descriptor.WriteUInt16(Rpc.CapDescriptor.Tag, Rpc.CapDescriptor.ReceiverHosted);
                descriptor.WriteUInt32(Rpc.CapDescriptor.Id, import.Id);
                break;
            case PipelineHook pipelined when pipelined.Connection == this && pipelined.IsDirect:
                descriptor.WriteUInt16(Rpc.CapDescriptor.Tag, Rpc.CapDescriptor.ReceiverAnswer);
                RpcCodec.WritePromisedAnswer(
                    descriptor.InitStruct(Rpc.CapDescriptor.Body, Rpc.PromisedAnswer.DataWords, Rpc.PromisedAnswer.Pointers),
                    pipelined.QuestionId,
                    pipelined.Path);
                break;
            default:
                bool promise = target.WhenResolved is not null;
                uint id = Export(target, promise);
                descriptor.WriteUInt16(Rpc.CapDescriptor.Tag, promise ? Rpc.CapDescriptor.SenderPromise : Rpc.CapDescriptor.SenderHosted);
                descriptor.WriteUInt32(Rpc.CapDescriptor.Id, id);
                (exports ??= new List<uint>(1)).Add(id);
                break;
        }
    }

    private uint Export(CapHook target, bool promise)
    {
        uint id;
        lock (_sync)
        {
            if (_exportIds.TryGetValue(target, out id))
            {
                _exports[id].Refs++;
                return id;
            }

            id = _freeExportIds.Count > 0 ? _freeExportIds.Pop() : _nextExportId++;
            _exports.Add(id, new Export(target.AddRef()));
            _exportIds.Add(target, id);
        }

        if (promise)
        {
            _ = ResolveExportAsync(id, target);
        }

        return id;
    }

    /// <summary>Once an exported promise settles, tells the peer what it became (a <c>Resolve</c>).</summary>
    private async Task ResolveExportAsync(uint id, CapHook promise)
    {
        var resolved = promise;
        while (resolved.WhenResolved is { } pending)
        {
            resolved = await pending.ConfigureAwait(false);
        }

        resolved = resolved.Resolved;
        lock (_sync)
        {
            if (!_exports.TryGetValue(id, out var export) || export.Hook != promise)
            {
                return; // the peer released it first
            }
        }

        using var message = RpcCodec.NewMessage(RpcMessageKind.Resolve, Rpc.Resolve.DataWords, Rpc.Resolve.Pointers, out var body);
        body.WriteUInt32(Rpc.Resolve.PromiseId, id);
        List<uint>? exports = null;
        if (resolved is BrokenHook broken)
        {
            body.WriteUInt16(Rpc.Resolve.Tag, Rpc.Resolve.Exception);
            RpcCodec.WriteException(body.InitStruct(Rpc.Resolve.Body, Rpc.Exception.DataWords, Rpc.Exception.Pointers), broken.Error);
        }
        else
        {
            body.WriteUInt16(Rpc.Resolve.Tag, Rpc.Resolve.Cap);
            WriteDescriptor(body.InitStruct(Rpc.Resolve.Body, Rpc.CapDescriptor.DataWords, Rpc.CapDescriptor.Pointers), resolved, ref exports);
        }

        if (!TrySend(message))
        {
            ReleaseExports(exports);
        }
    }

    /// <summary>Gives back one reference for each listed export id.</summary>
    private void ReleaseExports(List<uint>? ids)
    {
        if (ids is null)
        {
            return;
        }

        foreach (uint id in ids)
        {
            ReleaseExport(id, 1);
        }
    }

    private void ReleaseExport(uint id, uint count)
    {
        CapHook? released = null;
        lock (_sync)
        {
            if (!_exports.TryGetValue(id, out var export))
            {
                if (CloseReason is null)
                {
                    throw new ZapProtocolException($"the peer released export {id}, which is not exported");
                }

                return;
            }

            if (count > export.Refs)
            {
                throw new ZapProtocolException($"the peer released export {id} {count} times but holds it {export.Refs} times");
            }

            export.Refs -= count;
            if (export.Refs == 0)
            {
                _exports.Remove(id);
                _exportIds.Remove(export.Hook);
                _freeExportIds.Push(id);
                released = export.Hook;
            }
        }

        released?.Release();
    }

    /// <summary>Reads a payload's cap table into new references (null entries for null capabilities).</summary>
    private CapHook?[] ReadCapTable(StructReader payload)
    {
        var pointer = payload.GetPointer(Rpc.Payload.CapTable);
        if (pointer.IsNull)
        {
            return [];
        }

        var list = pointer.GetList(ListElementSize.InlineComposite);
        if (list.Count > MaxCapTableEntries)
        {
            throw new ZapProtocolException($"a cap table has {list.Count} entries; at most {MaxCapTableEntries} are accepted");
        }

        var caps = new CapHook?[list.Count];
        try
        {
            for (int i = 0; i < caps.Length; i++)
            {
                caps[i] = ReadDescriptor(list.GetStruct(i));
            }
        }
        catch
        {
            foreach (var cap in caps)
            {
                cap?.Release();
            }

            throw;
        }

        return caps;
    }

    private CapHook? ReadDescriptor(StructReader descriptor)
    {
        uint id = descriptor.ReadUInt32(Rpc.CapDescriptor.Id);
        switch (descriptor.ReadUInt16(Rpc.CapDescriptor.Tag))
        {
            case Rpc.CapDescriptor.None:
                return null;
            case Rpc.CapDescriptor.SenderHosted:
                return Import(id, isPromise: false);
            case Rpc.CapDescriptor.SenderPromise:
                return Import(id, isPromise: true);
            case Rpc.CapDescriptor.ReceiverHosted:
                lock (_sync)
                {
                    if (_exports.TryGetValue(id, out var export))
                    {
                        return export.Hook.AddRef();
                    }
                }

                return new BrokenHook(new ZapException(ZapExceptionType.Failed, $"the peer passed back export {id}, which is no longer exported"));
            case Rpc.CapDescriptor.ReceiverAnswer:
                var promised = descriptor.ReadStruct(Rpc.CapDescriptor.Body);
                return PipelinedOnAnswer(promised.ReadUInt32(Rpc.PromisedAnswer.QuestionId), RpcCodec.ReadTransform(promised));
            case Rpc.CapDescriptor.ThirdPartyHosted:
                // Level 3 is not spoken: use the vine, a capability the sender hosts that proxies to the third party.
                return Import(descriptor.ReadStruct(Rpc.CapDescriptor.Body).ReadUInt32(Rpc.ThirdPartyCapDescriptor.VineId), isPromise: false);
            default:
                return new BrokenHook(new ZapException(ZapExceptionType.Unimplemented, $"the peer sent a capability descriptor of unknown kind {descriptor.ReadUInt16(Rpc.CapDescriptor.Tag)}"));
        }
    }

    private ImportHook Import(uint id, bool isPromise)
    {
        lock (_sync)
        {
            if (_imports.TryGetValue(id, out var existing) && existing.TryAddRef())
            {
                existing.RemoteRefs++;
                return existing;
            }

            var import = new ImportHook(this, id, isPromise);
            _imports[id] = import;
            return import;
        }
    }

    /// <summary>The last local reference to an import is gone: tell the peer (a <c>Release</c>).</summary>
    internal void ReleaseImport(ImportHook import)
    {
        uint refs;
        lock (_sync)
        {
            if (_imports.TryGetValue(import.Id, out var current) && current == import)
            {
                _imports.Remove(import.Id);
            }

            if (CloseReason is not null)
            {
                return;
            }

            refs = import.RemoteRefs;
        }

        using var message = RpcCodec.NewMessage(RpcMessageKind.Release, Rpc.Release.DataWords, Rpc.Release.Pointers, out var body);
        body.WriteUInt32(Rpc.Release.Id, import.Id);
        body.WriteUInt32(Rpc.Release.ReferenceCount, refs);
        TrySend(message);
    }

    /// <summary>A new reference to what answer <paramref name="questionId"/> holds (or will hold) at <paramref name="path"/>.</summary>
    private CapHook PipelinedOnAnswer(uint questionId, ushort[] path)
    {
        PromiseCore? promise;
        lock (_sync)
        {
            promise = _answers.TryGetValue(questionId, out var answer) ? answer.Promise?.AddHandle() : null;
        }

        if (promise is null)
        {
            return new BrokenHook(new ZapException(ZapExceptionType.Failed, $"the peer named answer {questionId}, which is not pending"));
        }

        try
        {
            return promise.GetPipelinedCap(path);
        }
        finally
        {
            promise.ReleaseHandle();
        }
    }

    /// <summary>Resolves a call's or disembargo's <c>MessageTarget</c> to a new reference.</summary>
    private CapHook ResolveTarget(StructReader target)
    {
        switch (target.ReadUInt16(Rpc.MessageTarget.Tag))
        {
            case Rpc.MessageTarget.Imported:
                uint id = target.ReadUInt32(Rpc.MessageTarget.ImportedCap);
                lock (_sync)
                {
                    if (_exports.TryGetValue(id, out var export))
                    {
                        return export.Hook.AddRef();
                    }
                }

                return new BrokenHook(new ZapException(ZapExceptionType.Failed, $"no capability is exported with id {id}: it was released or never existed"));
            case Rpc.MessageTarget.Promised:
                var promised = target.ReadStruct(Rpc.MessageTarget.PromisedAnswer);
                return PipelinedOnAnswer(promised.ReadUInt32(Rpc.PromisedAnswer.QuestionId), RpcCodec.ReadTransform(promised));
            default:
                throw new ZapProtocolException($"a message target of unknown kind {target.ReadUInt16(Rpc.MessageTarget.Tag)}");
        }
    }
}
