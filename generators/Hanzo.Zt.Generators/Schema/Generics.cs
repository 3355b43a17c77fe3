using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// Generic structs used with arguments (<c>Box(Coord)</c>): each distinct use becomes a specialised scope class in the
/// file's class (<c>BoxOfCoord</c>) whose reader and builder type the parameter's fields (<c>Value</c> is a
/// <c>Coord.Reader</c>, not an untyped pointer), for struct, list, text, data and interface arguments, with
/// arguments carried into nested generic uses and groups. Uses whose arguments are themselves unbound parameters
/// stay untyped, as does the generic struct's own scope class.
/// </summary>
internal sealed class Generics(TypeMap map, string fileClass)
{
    public static readonly IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>> None = new Dictionary<ulong, IReadOnlyList<SchemaType?>>();

    private readonly Dictionary<string, Specialization> byKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    public Queue<Specialization> Pending { get; } = new();

    /// <summary>The type with every parameter bound in <paramref name="context"/> replaced by its argument.</summary>
    public SchemaType Bind(SchemaType type, IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>> context)
    {
        switch (type.Kind)
        {
            case TypeKind.AnyPointer when type.AnyPointerKind == AnyPointerKind.Parameter:
                return context.TryGetValue(type.ParameterScopeId, out var bound) && type.ParameterIndex < bound.Count && bound[type.ParameterIndex] is { } argument
                    ? argument
                    : type;
            case TypeKind.List:
                var element = Bind(type.ElementType!, context);
                return ReferenceEquals(element, type.ElementType) ? type : SchemaType.List(element);
            case TypeKind.Struct or TypeKind.Interface when type.Brand.Scopes.Count > 0 && context.Count > 0:
                var scopes = type.Brand.Scopes.Select(s => new SchemaBrandScope(s.ScopeId, s.Bindings is null
                    ? (context.TryGetValue(s.ScopeId, out var inherited) ? inherited : null)
                    : s.Bindings.Select(b => b is null ? null : Bind(b, context)).ToList())).ToList();
                return SchemaType.Named(type.Kind, type.TypeId, new SchemaBrand(scopes));
            default:
                return type;
        }
    }

    /// <summary>The specialised scope class for a struct used with concrete arguments, or null (not generic, or not fully bound).</summary>
    public Specialization? Of(SchemaType type) => type.Kind == TypeKind.Struct ? Specialize(type) : null;

    /// <summary>
    /// The specialised contract, client, server and scope of an interface used with concrete arguments
    /// (<c>Store(Coord)</c>), or null (not generic, or not fully bound).
    /// </summary>
    public Specialization? OfInterface(SchemaType type) => type.Kind == TypeKind.Interface ? Specialize(type) : null;

    /// <summary>
    /// Names the specialisation of <paramref name="type"/> after a <c>using</c> alias (<c>using TileStore =
    /// Store(Tile);</c> gives <c>ITileStore</c>, <c>TileStoreClient</c>, ...), so it exists even when nothing else in
    /// the schema uses it, as for a capability only ever bootstrapped.
    /// </summary>
    public void Alias(SchemaType type, string name)
    {
        if (type.Kind is TypeKind.Struct or TypeKind.Interface && !byKey.ContainsKey(Key(type)))
        {
            Specialize(type, name);
        }
    }

    private Specialization? Specialize(SchemaType type, string? preferred = null)
    {
        if (!type.Brand.Scopes.Any(s => s.Bindings?.Any(b => b is not null) ?? false)
            || type.Brand.Scopes.Any(s => s.Bindings?.Any(b => b is not null && !IsConcrete(b)) ?? false))
        {
            return null;
        }

        string key = Key(type);
        if (!byKey.TryGetValue(key, out var spec))
        {
            string name = preferred ?? map.LocalName(map.Node(type.TypeId)) + "Of" + string.Concat(Arguments(type).Select(ArgumentName));
            for (int i = 2; !names.Add(name) || (type.Kind == TypeKind.Interface && !names.Add("I" + name)); i++)
            {
                name = name.TrimEnd("0123456789".ToCharArray()) + i;
            }

            var context = type.Brand.Scopes.Where(s => s.Bindings is not null).ToDictionary(s => s.ScopeId, s => s.Bindings!);
            bool caps = map.CarriesCaps(type.TypeId) || (map.HasZap && Arguments(type).Any(a => a is not null && MentionsCapability(a)));
            spec = new Specialization(name, fileClass + "." + name, type, context, caps);
            byKey[key] = spec;
            Pending.Enqueue(spec);
        }

        return spec;
    }

    /// <summary>The scope class of a struct type: its specialisation when used with concrete arguments, else its own.</summary>
    public string ScopeOf(SchemaType type) => Of(type)?.FullName ?? map.Scope(type.TypeId);

    /// <summary>The proxy class of an interface type: its specialisation's when used with concrete arguments.</summary>
    public string ClientOf(SchemaType type) => OfInterface(type)?.Client ?? map.Client(type.TypeId);

    /// <summary>The contract of an interface type: its specialisation's when used with concrete arguments.</summary>
    public string ContractOf(SchemaType type) => OfInterface(type)?.Contract ?? map.Contract(type.TypeId);

    /// <summary>The skeleton class of an interface type: its specialisation's when used with concrete arguments.</summary>
    public string ServerOf(SchemaType type) => OfInterface(type)?.Server ?? map.Server(type.TypeId);

    private static IEnumerable<SchemaType?> Arguments(SchemaType type) => type.Brand.Scopes.SelectMany(s => s.Bindings ?? Array.Empty<SchemaType?>());

    private static bool IsConcrete(SchemaType type) => type.Kind switch
    {
        TypeKind.AnyPointer => type.AnyPointerKind is not (AnyPointerKind.Parameter or AnyPointerKind.ImplicitMethodParameter),
        TypeKind.List => IsConcrete(type.ElementType!),
        TypeKind.Struct or TypeKind.Interface => type.Brand.Scopes.All(s => s.Bindings?.All(b => b is null || IsConcrete(b)) ?? true),
        _ => true,
    };

    private static bool MentionsCapability(SchemaType type) =>
        type.Kind == TypeKind.Interface
        || (type.Kind == TypeKind.AnyPointer && type.AnyPointerKind == AnyPointerKind.Capability)
        || (type.Kind == TypeKind.List && MentionsCapability(type.ElementType!));

    private string ArgumentName(SchemaType? type) => type is null ? "AnyPointer" : type.Kind switch
    {
        TypeKind.List => "ListOf" + ArgumentName(type.ElementType),
        TypeKind.Struct or TypeKind.Interface or TypeKind.Enum => map.LocalName(map.Node(type.TypeId))
            + (Arguments(type).Any(a => a is not null) ? "Of" + string.Concat(Arguments(type).Select(ArgumentName)) : string.Empty),
        _ => type.Kind.ToString(),
    };

    /// <summary>A key naming a node with its arguments by scope.</summary>
    public static string Key(ulong id, IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>> context) =>
        $"{id:x}(" + string.Join(";", context.OrderBy(c => c.Key).Select(c => $"{c.Key:x}:" + string.Join(",", c.Value.Select(Key)))) + ")";

    private static string Key(SchemaType? type) => type is null ? "_" : type.Kind switch
    {
        TypeKind.List => $"List({Key(type.ElementType)})",
        TypeKind.Struct or TypeKind.Interface => $"{type.TypeId:x}(" + string.Join(";", type.Brand.Scopes.Select(s =>
            $"{s.ScopeId:x}:" + (s.Bindings is null ? "inherit" : string.Join(",", s.Bindings.Select(Key))))) + ")",
        TypeKind.Enum => $"{type.TypeId:x}",
        _ => type.ToString(),
    };
}

/// <summary>One generic struct or interface with its arguments: the class name, its full C# name, and the arguments by scope.</summary>
internal sealed record Specialization(string Name, string FullName, SchemaType Type, IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>> Context, bool Caps)
{
    /// <summary>For an interface: the contract servers implement (<c>IStoreOfCoord</c>, beside the scope class).</summary>
    public string Contract => FullName.Substring(0, FullName.Length - Name.Length) + "I" + Name;

    /// <summary>For an interface: the proxy.</summary>
    public string Client => FullName + "Client";

    /// <summary>For an interface: the skeleton.</summary>
    public string Server => FullName + "Server";
}
