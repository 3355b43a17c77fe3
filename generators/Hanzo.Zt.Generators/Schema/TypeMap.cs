using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// Where each schema node lands in C#: every struct, group and interface becomes a static scope class
/// (<c>Expression.Reader</c>, <c>Expression.Builder</c>); an interface <c>Foo</c> also gets <c>IFoo</c>,
/// <c>FooClient</c> and <c>FooServer</c> beside its scope class; method parameter and result structs live in
/// their interface's scope as <c>MethodParams</c> and <c>MethodResults</c>.
/// </summary>
internal sealed class TypeMap
{
    private readonly CompilationResult result;
    private readonly Func<ulong, string> fileNamespace;
    private readonly Dictionary<ulong, (ulong Scope, string Name)> methodStructs = new();
    private readonly Dictionary<ulong, string> scopeNames = new();
    private readonly Dictionary<ulong, bool> fileUsesCaps = new();
    private readonly Dictionary<ulong, bool> structMayHoldCaps = new();

    public TypeMap(CompilationResult result, Func<ulong, string> fileNamespace, bool hasZap)
    {
        this.result = result;
        this.fileNamespace = fileNamespace;
        HasZap = hasZap;
        foreach (var node in result.Nodes)
        {
            foreach (var method in node.Interface?.Methods ?? Array.Empty<SchemaMethod>())
            {
                if (result.FindNode(method.ParamStructType) is { ScopeId: 0 } p)
                {
                    methodStructs[p.Id] = (node.Id, Names.Pascal(method.Name) + "Params");
                }

                if (result.FindNode(method.ResultStructType) is { ScopeId: 0 } r)
                {
                    methodStructs[r.Id] = (node.Id, Names.Pascal(method.Name) + "Results");
                }
            }
        }
    }

    public bool HasZap { get; }

    public CompilationResult Result => result;

    public SchemaNode Node(ulong id) => result.FindNode(id) ?? throw new InvalidOperationException($"unknown node @0x{id:x16}");

    /// <summary>The C# name of the node's scope class (or enum), fully qualified with <c>global::</c>.</summary>
    public string Scope(ulong id)
    {
        if (!scopeNames.TryGetValue(id, out var name))
        {
            var node = Node(id);
            name = Parent(node) + "." + LocalName(node);
            scopeNames[id] = name;
        }

        return name;
    }

    /// <summary>The node's own C# name in its scope.</summary>
    public string LocalName(SchemaNode node) =>
        methodStructs.TryGetValue(node.Id, out var m) ? m.Name : Names.Pascal(node.Name);

    /// <summary>The fully qualified container the node's types are declared in (a namespace or a scope class).</summary>
    public string Parent(SchemaNode node)
    {
        if (methodStructs.TryGetValue(node.Id, out var m))
        {
            return Scope(m.Scope);
        }

        var parent = Node(node.ScopeId);
        return parent.Kind == SchemaNodeKind.File ? "global::" + fileNamespace(parent.Id) : Scope(parent.Id);
    }

    public string Reader(ulong structId) => Scope(structId) + ".Reader";

    public string Builder(ulong structId) => Scope(structId) + ".Builder";

    public string Contract(ulong interfaceId) => Parent(Node(interfaceId)) + ".I" + LocalName(Node(interfaceId));

    public string Client(ulong interfaceId) => Scope(interfaceId) + "Client";

    public string Server(ulong interfaceId) => Scope(interfaceId) + "Server";

    public ulong FileOf(SchemaNode node)
    {
        while (node.Kind != SchemaNodeKind.File)
        {
            node = methodStructs.TryGetValue(node.Id, out var m) ? Node(m.Scope) : Node(node.ScopeId);
        }

        return node.Id;
    }

    /// <summary>Whether readers and builders of the struct carry a capability table (its file uses interfaces and ZAP is referenced).</summary>
    public bool CarriesCaps(ulong structId)
    {
        if (!HasZap)
        {
            return false;
        }

        ulong file = FileOf(Node(structId));
        if (!fileUsesCaps.TryGetValue(file, out bool uses))
        {
            uses = result.Nodes.Any(n => FileOfSafe(n) == file && (n.Kind == SchemaNodeKind.Interface
                || (n.Struct?.Fields.Any(f => f.Type is { } t && MentionsCapability(t)) ?? false)));
            fileUsesCaps[file] = uses;
        }

        return uses;
    }

    /// <summary>
    /// Whether a message of the struct may point at a capability: some field (of the struct, its groups and union
    /// members, or a struct or list reachable from them) is an interface or an AnyPointer of any kind (a generic
    /// parameter included). Generic structs, and structs used with arguments, count as holding capabilities. A call
    /// passes its cap table to the struct's reader or builder only when this holds: boxing the engine's table costs
    /// an allocation per call.
    /// </summary>
    public bool MayHoldCaps(ulong structId)
    {
        if (!structMayHoldCaps.TryGetValue(structId, out bool may))
        {
            may = ReachesCapability(structId);
            structMayHoldCaps[structId] = may;
        }

        return may;
    }

    // Walks every struct reachable from the root once (so a struct referring to itself ends the walk there).
    private bool ReachesCapability(ulong rootId)
    {
        var seen = new HashSet<ulong> { rootId };
        var pending = new Stack<ulong>();
        pending.Push(rootId);
        while (pending.Count > 0)
        {
            var node = result.FindNode(pending.Pop());
            if (node?.Struct is not { } s || node.IsGeneric)
            {
                return true;
            }

            foreach (var f in s.Fields)
            {
                if (f.IsGroup)
                {
                    if (seen.Add(f.GroupTypeId))
                    {
                        pending.Push(f.GroupTypeId);
                    }

                    continue;
                }

                var type = f.Type!;
                while (type.Kind == TypeKind.List)
                {
                    type = type.ElementType!;
                }

                switch (type.Kind)
                {
                    case TypeKind.Interface:
                    case TypeKind.AnyPointer:
                        return true;
                    case TypeKind.Struct when type.Brand.Scopes.Count > 0:
                        return true;
                    case TypeKind.Struct:
                        if (seen.Add(type.TypeId))
                        {
                            pending.Push(type.TypeId);
                        }

                        break;
                }
            }
        }

        return false;
    }

    private ulong FileOfSafe(SchemaNode node)
    {
        try
        {
            return FileOf(node);
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    private static bool MentionsCapability(SchemaType type) =>
        type.Kind == TypeKind.Interface
        || (type.Kind == TypeKind.AnyPointer && type.AnyPointerKind == AnyPointerKind.Capability)
        || (type.Kind == TypeKind.List && MentionsCapability(type.ElementType!));

    /// <summary>The C# type of a primitive or enum slot; null for pointer types.</summary>
    public string? ValueType(SchemaType type) => type.Kind switch
    {
        TypeKind.Bool => "bool",
        TypeKind.Int8 => "sbyte",
        TypeKind.Int16 => "short",
        TypeKind.Int32 => "int",
        TypeKind.Int64 => "long",
        TypeKind.UInt8 => "byte",
        TypeKind.UInt16 => "ushort",
        TypeKind.UInt32 => "uint",
        TypeKind.UInt64 => "ulong",
        TypeKind.Float32 => "float",
        TypeKind.Float64 => "double",
        TypeKind.Enum => Scope(type.TypeId),
        _ => null,
    };

    /// <summary>The StructReader/StructBuilder accessor suffix for a data slot (<c>Float64</c> in <c>ReadFloat64</c>).</summary>
    public static string Accessor(TypeKind kind) => kind switch
    {
        TypeKind.Enum => "UInt16",
        _ => kind.ToString(),
    };
}
