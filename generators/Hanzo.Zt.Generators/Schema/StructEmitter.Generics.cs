using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// Generic structs with their arguments: field types are bound to the arguments of the specialisation being
/// emitted, and uses of generic structs with concrete arguments name their specialised scope class.
/// </summary>
internal sealed partial class StructEmitter
{
    private readonly Dictionary<ulong, string> specGroups = new();
    private Generics? generics;
    private Specialization? spec;

    /// <summary>Types uses of generic structs with concrete arguments through <paramref name="registry"/>.</summary>
    public void UseGenerics(Generics registry) => generics = registry;

    /// <summary>The registry of specialisations, if generics are typed.</summary>
    public Generics? Registry => generics;

    /// <summary>Emits the specialised scope class of a generic struct for its arguments (a nested class of the file's class).</summary>
    public void EmitSpecialization(Specialization specialization)
    {
        spec = specialization;
        try
        {
            w.Line();
            Emit(map.Node(specialization.Type.TypeId), static _ => { });
        }
        finally
        {
            spec = null;
            specGroups.Clear();
        }
    }

    private SchemaType Bind(SchemaType type) => generics?.Bind(type, spec?.Context ?? Generics.None) ?? type;

    private Specialization? SpecOf(SchemaType type) => generics?.Of(type);

    /// <summary>The scope class for a struct type: its specialisation when used with concrete arguments, else its own.</summary>
    private string ScopeOf(SchemaType type) => SpecOf(type)?.FullName ?? map.Scope(type.TypeId);

    private string ClientOf(SchemaType type) => generics?.ClientOf(type) ?? map.Client(type.TypeId);

    private string ContractOf(SchemaType type) => generics?.ContractOf(type) ?? map.Contract(type.TypeId);

    private string ServerOf(SchemaType type) => generics?.ServerOf(type) ?? map.Server(type.TypeId);

    private string CapsArgument(SchemaType type, bool caps) =>
        (SpecOf(type)?.Caps ?? map.CarriesCaps(type.TypeId)) ? (caps ? ", _caps" : ", null") : string.Empty;

    private string ChildReader(SchemaType type, string structExpr, bool caps) => $"new {ScopeOf(type)}.Reader({structExpr}{CapsArgument(type, caps)})";

    private string ChildBuilder(SchemaType type, string structExpr, bool caps) => $"new {ScopeOf(type)}.Builder({structExpr}{CapsArgument(type, caps)})";

    private string GroupScope(ulong groupId) => specGroups.TryGetValue(groupId, out var name) ? name : map.Scope(groupId);

    private string GroupChild(ulong groupId, string kind, bool caps) =>
        $"new {GroupScope(groupId)}.{kind}(_struct{((spec?.Caps ?? map.CarriesCaps(groupId)) ? (caps ? ", _caps" : ", null") : string.Empty)})";

    // In a specialisation: the class name and caps of the node, and the full names of its groups (declared before use).
    private (string Name, bool Caps, bool Attribute) Describe(SchemaNode node)
    {
        if (spec is null)
        {
            return (map.LocalName(node), map.CarriesCaps(node.Id), true);
        }

        string full = node.Id == spec.Type.TypeId ? spec.FullName : specGroups[node.Id];
        foreach (var group in node.Struct!.Fields.Where(f => f.IsGroup))
        {
            specGroups[group.GroupTypeId] = full + "." + map.LocalName(map.Node(group.GroupTypeId));
        }

        return (node.Id == spec.Type.TypeId ? spec.Name : map.LocalName(node), spec.Caps, false);
    }

    private void EmitConversion(SchemaNode node, string kind)
    {
        if (spec is null || node.Id != spec.Type.TypeId)
        {
            return;
        }

        string generic = map.Scope(node.Id) + "." + kind;
        string caps = map.CarriesCaps(node.Id) ? ", value.Caps" : string.Empty;
        w.Line();
        w.Line($"/// <summary>The same struct, untyped in its parameters.</summary>");
        w.Line($"public static implicit operator {generic}({kind} value) => new(value.Struct{caps});");
    }
}
