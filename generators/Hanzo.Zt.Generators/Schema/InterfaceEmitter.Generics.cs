using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// Generic interfaces used with arguments (<c>Store(Coord)</c>): the same contract, proxy, skeleton and scope as the
/// generic interface, named for the arguments (<c>IStoreOfCoord</c>, <c>StoreOfCoordClient</c>, ...) and declared in
/// the file's class, with the interface's parameters bound in its methods' parameters and results. The interface id
/// and method ordinals are the generic interface's, so either side may be typed or untyped.
/// </summary>
internal sealed partial class InterfaceEmitter
{
    private Specialization? spec;

    /// <summary>Emits the specialisation of a generic interface for its arguments (nested types of the file's class).</summary>
    public void EmitSpecialization(Specialization specialization)
    {
        spec = specialization;
        try
        {
            Emit(map.Node(specialization.Type.TypeId), static _ => { });
        }
        finally
        {
            spec = null;
        }
    }

    private bool IsSpec(ulong id) => spec is not null && spec.Type.TypeId == id;

    private string LocalName(SchemaNode node) => IsSpec(node.Id) ? spec!.Name : map.LocalName(node);

    private string ScopeName(ulong id) => IsSpec(id) ? spec!.FullName : map.Scope(id);

    private string ContractName(ulong id) => IsSpec(id) ? spec!.Contract : map.Contract(id);

    private string ClientName(ulong id) => IsSpec(id) ? spec!.Client : map.Client(id);

    private string ServerName(ulong id) => IsSpec(id) ? spec!.Server : map.Server(id);

    private IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>> ContextOf(ulong interfaceId) =>
        IsSpec(interfaceId) ? spec!.Context : Generics.None;

    /// <summary>A field type of <paramref name="m"/>'s structs with the interface's arguments in place of its parameters.</summary>
    private SchemaType Bind(MethodShape m, SchemaType type) => generics.Bind(type, m.Context);

    private MethodShape Shape(SchemaNode iface, SchemaMethod method, IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>>? bound = null, Specialization? owner = null)
    {
        var context = bound ?? ContextOf(iface.Id);
        owner ??= bound is null && IsSpec(iface.Id) ? spec : null;
        var shape = new MethodShape(map, method, generics, context) { Context = context, Spec = owner };
        (shape.ParamsScope, shape.ParamsCaps, bool paramsSpecialised) = StructOf(owner, shape.Params, method.ParamBrand, context);
        (shape.ResultsScope, shape.ResultsCaps, bool resultsSpecialised) = StructOf(owner, shape.Results, method.ResultBrand, context);
        shape.ParamsNeedCaps = shape.ParamsCaps && (paramsSpecialised || map.MayHoldCaps(shape.Params.Id));
        shape.ResultsNeedCaps = shape.ResultsCaps && (resultsSpecialised || map.MayHoldCaps(shape.Results.Id));
        return shape;
    }

    /// <summary>The specialisation a superclass is used as (<c>extends(Store(T))</c> in <c>Shop(Tile)</c>), or null.</summary>
    private Specialization? SuperOf(SchemaNode node, SchemaSuperclass super, IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>>? context) =>
        generics.OfInterface(generics.Bind(SchemaType.Named(TypeKind.Interface, super.Id, super.Brand), context ?? ContextOf(node.Id)));

    // Implicit parameter and result structs of a specialisation are declared in its scope; named structs are
    // specialised like any other use of a generic struct. Specialised tells whether arguments are bound in.
    private (string Scope, bool Caps, bool Specialised) StructOf(Specialization? owner, SchemaNode node, SchemaBrand brand, IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>> context)
    {
        if (node.ScopeId == 0 && owner is not null)
        {
            return (owner.FullName + "." + map.LocalName(node), owner.Caps || map.CarriesCaps(node.Id), true);
        }

        var bound = generics.Bind(SchemaType.Named(TypeKind.Struct, node.Id, brand), context);
        return generics.Of(bound) is { } specialised
            ? (specialised.FullName, specialised.Caps, true)
            : (map.Scope(node.Id), map.CarriesCaps(node.Id), false);
    }

    private void EmitMethodStruct(SchemaNode node, string scope, bool caps, Action<SchemaNode> emitNested)
    {
        if (spec is null)
        {
            w.Line();
            structs.Emit(node, emitNested);
            return;
        }

        var brand = new SchemaBrand(spec.Context.Select(c => new SchemaBrandScope(c.Key, c.Value)).ToList());
        string name = scope.Substring(scope.LastIndexOf('.') + 1);
        structs.EmitSpecialization(new Specialization(name, scope, SchemaType.Named(TypeKind.Struct, node.Id, brand), spec.Context, caps));
    }

    private void EmitTypeAttribute(SchemaNode node)
    {
        if (spec is null)
        {
            w.Line($"[{Capnp}.CapnpType({Names.Hex(node.Id)}, {Names.Literal(node.DisplayName)})]");
        }
    }
}
