using Hanzo.Zt.Capnp.Compiler;
using Hanzo.Zt.Capnp.Dynamic;

namespace Hanzo.Zt.Capnp.Tests;

/// <summary>
/// The reference compiler's own output (a CodeGeneratorRequest), read with our runtime through the schema of
/// schema.capnp, agrees with our compiler on every node id and struct layout.
/// </summary>
public sealed class CodeGeneratorRequestTests
{
    [Fact]
    public void Reference_compiler_output_read_with_our_runtime_matches_our_compiler()
    {
        var schemaCapnp = SchemaSet.Load("/usr/include/capnp/schema.capnp");
        var requestType = schemaCapnp.GetStruct("CodeGeneratorRequest");
        byte[] output = ReferenceTool.Run([], "compile", "-o-", "everything.capnp");
        using var message = MessageSerializer.Read(output);
        var request = new DynamicReader(schemaCapnp).ReadStruct(message.GetRoot(), requestType);

        var ours = SchemaSet.Load(ReferenceTool.SchemaFile).Compilation;
        var nodes = ((DynamicList)Field(request, "nodes")).Items.Cast<DynamicStruct>().ToList();
        var compared = 0;
        foreach (var node in nodes)
        {
            ulong id = ((DynamicUInt)Field(node, "id")).Value;
            string displayName = ((DynamicText)Field(node, "displayName")).Value;
            if (!displayName.StartsWith("everything.capnp", StringComparison.Ordinal))
            {
                continue;
            }

            var mine = ours.FindNode(id).ShouldNotBeNull($"no node @0x{id:x16} ({displayName})");
            if (mine.Kind != SchemaNodeKind.File)
            {
                SchemaSet.ScopedName(mine).ShouldBe(displayName[(displayName.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            }

            if (Find(node, "struct") is DynamicStruct layout)
            {
                var s = mine.Struct.ShouldNotBeNull();
                ((DynamicUInt)Field(layout, "dataWordCount")).Value.ShouldBe((ulong)s.DataWordCount, displayName);
                ((DynamicUInt)Field(layout, "pointerCount")).Value.ShouldBe((ulong)s.PointerCount, displayName);
                ((DynamicUInt)Field(layout, "discriminantCount")).Value.ShouldBe((ulong)s.DiscriminantCount, displayName);
                ((DynamicUInt)Field(layout, "discriminantOffset")).Value.ShouldBe((ulong)s.DiscriminantOffset, displayName);
                var fields = ((DynamicList)Field(layout, "fields")).Items.Cast<DynamicStruct>().ToList();
                fields.Select(f => ((DynamicText)Field(f, "name")).Value).ShouldBe(s.Fields.Select(f => f.Name));
                for (int i = 0; i < fields.Count; i++)
                {
                    ((DynamicUInt)Field(fields[i], "discriminantValue")).Value.ShouldBe((ulong)s.Fields[i].DiscriminantValue);
                    if (Find(fields[i], "slot") is DynamicStruct slot)
                    {
                        ((DynamicUInt)Field(slot, "offset")).Value.ShouldBe((ulong)s.Fields[i].Offset, $"{displayName}.{s.Fields[i].Name}");
                    }
                    else
                    {
                        ((DynamicUInt)Field((DynamicStruct)Field(fields[i], "group"), "typeId")).Value.ShouldBe(s.Fields[i].GroupTypeId);
                    }
                }
            }

            compared++;
        }

        compared.ShouldBeGreaterThan(5);
    }

    private static DynamicValue Field(DynamicStruct value, string name) =>
        Find(value, name) ?? throw new ShouldAssertException($"no field '{name}'");

    private static DynamicValue? Find(DynamicStruct value, string name) =>
        value.Fields.FirstOrDefault(f => f.Key == name).Value;
}
