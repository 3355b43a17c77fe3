using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>One parameter or result of a method, in the forms each side uses.</summary>
internal sealed class MethodValue
{
    public string SchemaName { get; set; } = string.Empty;

    public string Property { get; set; } = string.Empty;

    public string Parameter { get; set; } = string.Empty;

    /// <summary>The type the server receives (a parameter) or returns (a result).</summary>
    public string ServerType { get; set; } = string.Empty;

    /// <summary>The type the client passes (a parameter) or gets back (a result).</summary>
    public string ClientType { get; set; } = string.Empty;

    /// <summary>Turns the client-side value into the server-side one when the two differ (the proxy implementing the contract).</summary>
    public string? ServerToClient { get; set; }

    public SchemaType Type { get; set; } = SchemaType.Void;

    public int PointerIndex { get; set; } = -1;
}

/// <summary>
/// How a method looks in C#: flattened parameters and results when the schema allows, whole structs otherwise.
/// With <paramref name="context"/>, the interface's parameters are bound to its arguments (<c>Store(Coord)</c>).
/// </summary>
internal sealed class MethodShape
{
    public MethodShape(TypeMap map, SchemaMethod method, Generics? generics = null, IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>>? context = null)
    {
        Method = method;
        Params = map.Node(method.ParamStructType);
        Results = map.Node(method.ResultStructType);
        Name = Names.Pascal(method.Name);
        ParamsFlat = Params.ScopeId == 0 && Flattenable(Params);
        ResultsFlat = Results.ScopeId == 0 && Flattenable(Results);
        if (ParamsFlat)
        {
            foreach (var f in Params.Struct!.Fields)
            {
                ParamValues.Add(Value(map, f, isResult: false, generics, context));
            }
        }

        if (ResultsFlat)
        {
            foreach (var f in Results.Struct!.Fields)
            {
                var v = Value(map, f, isResult: true, generics, context);
                if (v.ServerType.Length == 0)
                {
                    ResultsFlat = false;
                    ResultValues.Clear();
                    break;
                }

                ResultValues.Add(v);
            }
        }

        // A convenience call needs every parameter to have a client-side form.
        ConvenientParams = ParamsFlat && ParamValues.All(v => v.ClientType.Length > 0);
    }

    public SchemaMethod Method { get; }

    /// <summary>The scope class of the parameter struct (a specialisation's, for a generic interface used with arguments).</summary>
    public string ParamsScope { get; set; } = string.Empty;

    /// <summary>The scope class of the result struct.</summary>
    public string ResultsScope { get; set; } = string.Empty;

    /// <summary>The specialisation the method is emitted in (an interface used with arguments), or null.</summary>
    public Specialization? Spec { get; set; }

    /// <summary>The interface's arguments by scope, when it is used with arguments.</summary>
    public IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>> Context { get; set; } = Generics.None;

    /// <summary>Whether the parameter struct's readers and builders carry a capability table.</summary>
    public bool ParamsCaps { get; set; }

    /// <summary>Whether the result struct's readers and builders carry a capability table.</summary>
    public bool ResultsCaps { get; set; }

    /// <summary>
    /// Whether calls hand the parameters' reader and builder the engine's cap table: they carry one and the struct
    /// may hold capabilities (<see cref="TypeMap.MayHoldCaps"/>). Otherwise they get none, and the call boxes nothing.
    /// </summary>
    public bool ParamsNeedCaps { get; set; }

    /// <summary>Whether calls hand the results' reader and builder the engine's cap table (as <see cref="ParamsNeedCaps"/>).</summary>
    public bool ResultsNeedCaps { get; set; }

    public SchemaNode Params { get; }

    public SchemaNode Results { get; }

    public string Name { get; }

    public bool ParamsFlat { get; }

    public bool ResultsFlat { get; }

    public bool ConvenientParams { get; }

    public List<MethodValue> ParamValues { get; } = new();

    public List<MethodValue> ResultValues { get; } = new();

    private static bool Flattenable(SchemaNode node) =>
        node.Struct is { DiscriminantCount: 0 } s && s.Fields.All(f => !f.IsGroup && f.Type!.Kind != TypeKind.Void);

    private static MethodValue Value(TypeMap map, SchemaField f, bool isResult, Generics? generics, IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>>? context)
    {
        var t = generics is null ? f.Type! : generics.Bind(f.Type!, context ?? Generics.None);
        var v = new MethodValue
        {
            SchemaName = f.Name,
            Property = Names.Pascal(f.Name),
            Parameter = Names.Camel(f.Name),
            Type = t,
            PointerIndex = t.IsPointer ? f.Offset : -1,
        };
        const string Capnp = "global::Hanzo.Zt.Capnp";
        if (map.ValueType(t) is { } value)
        {
            v.ServerType = v.ClientType = value;
            return v;
        }

        switch (t.Kind)
        {
            case TypeKind.Text:
                v.ServerType = v.ClientType = "string";
                break;
            case TypeKind.Data:
                v.ServerType = "global::System.ReadOnlyMemory<byte>";
                v.ClientType = isResult ? "byte[]" : v.ServerType;
                break;
            case TypeKind.Interface:
                v.ServerType = isResult ? generics?.ContractOf(t) ?? map.Contract(t.TypeId) : generics?.ClientOf(t) ?? map.Client(t.TypeId);
                v.ClientType = generics?.ClientOf(t) ?? map.Client(t.TypeId);
                break;
            case TypeKind.Struct when !isResult:
                v.ServerType = (generics?.ScopeOf(t) ?? map.Scope(t.TypeId)) + ".Reader";
                break;
            case TypeKind.List when !isResult:
                var e = t.ElementType!;
                if (map.ValueType(e) is { } element)
                {
                    v.ServerType = $"{Capnp}.PrimitiveList<{element}>";
                    v.ClientType = $"global::System.ReadOnlySpan<{element}>";
                    v.ServerToClient = ".ToArray()";
                }
                else if (e.Kind == TypeKind.Text)
                {
                    v.ServerType = $"{Capnp}.TextList";
                    v.ClientType = "global::System.Collections.Generic.IReadOnlyList<string>";
                    v.ServerToClient = string.Empty;
                }
                else if (e.Kind == TypeKind.Struct)
                {
                    v.ServerType = $"{generics?.ScopeOf(e) ?? map.Scope(e.TypeId)}.ReaderList";
                }
                else
                {
                    v.ServerType = $"{Capnp}.ListReader";
                }

                break;
            case TypeKind.AnyPointer when !isResult:
                v.ServerType = $"{Capnp}.PointerReader";
                break;
        }

        return v;
    }
}
