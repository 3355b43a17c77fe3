using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// Emits an interface <c>Foo</c>: the contract <c>IFoo</c> (async methods servers implement), the proxy
/// <c>FooClient</c> (calls return promises that can be awaited or pipelined), the skeleton <c>FooServer</c>
/// (dispatches by interface id and method ordinal), and the scope class <c>Foo</c> with ids, parameter and
/// result structs, request and promise types.
/// </summary>
internal sealed partial class InterfaceEmitter(TypeMap map, CodeWriter w, StructEmitter structs, Generics generics)
{
    private const string Zap = "global::Hanzo.Zt.Zap";
    private const string Capnp = "global::Hanzo.Zt.Capnp";
    private const string Ct = "global::System.Threading.CancellationToken";
    private readonly Dictionary<ulong, bool> implementable = new();

    public void Emit(SchemaNode node, Action<SchemaNode> emitNested)
    {
        string name = LocalName(node);
        var own = node.Interface!.Methods.Select(m => Shape(node, m)).ToList();
        EmitContract(node, name, own);
        EmitClient(node, name);
        EmitServer(node, name, own);
        EmitScope(node, name, own, emitNested);
        EmitRegistration(node, name);
    }

    /// <summary>Registry lines for a module initializer, collected because file-local types must be top level.</summary>
    public List<string> Registrations { get; } = new();

    private void EmitRegistration(SchemaNode node, string name)
    {
        string client = ClientName(node.Id);
        Registrations.Add($"{Zap}.ZapServiceRegistry.RegisterClient(static capability => new {client}(capability));");
        if (Implementable(node.Id))
        {
            Registrations.Add($"{Zap}.ZapServiceRegistry.RegisterClient<{ContractName(node.Id)}>(static capability => new {client}(capability));");
        }

        Registrations.Add($"{Zap}.ZapServiceRegistry.RegisterServer<{ContractName(node.Id)}>(static implementation => {ServerName(node.Id)}.Create(implementation));");
    }

    // The methods of node and its superclasses; context binds node's own parameters, and a superclass used with
    // arguments (Store(T) in Shop(Tile)) is its specialisation's.
    private IEnumerable<(SchemaNode Interface, MethodShape Shape)> AllMethods(
        SchemaNode node, IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>>? context = null, HashSet<ulong>? seen = null, Specialization? owner = null)
    {
        seen ??= new HashSet<ulong>();
        if (!seen.Add(node.Id))
        {
            yield break;
        }

        foreach (var m in node.Interface!.Methods)
        {
            yield return (node, Shape(node, m, context, owner));
        }

        foreach (var super in node.Interface.Superclasses)
        {
            var superSpec = SuperOf(node, super, context);
            foreach (var inherited in AllMethods(map.Node(super.Id), superSpec?.Context ?? Generics.None, seen, superSpec))
            {
                yield return inherited;
            }
        }
    }

    private bool Implementable(ulong id) => Implementable(id, ContextOf(id), new HashSet<string>(StringComparer.Ordinal));

    // Whether the proxy can implement the contract: every call has a convenient client form and flat results.
    private bool Implementable(ulong id, IReadOnlyDictionary<ulong, IReadOnlyList<SchemaType?>> context, HashSet<string> visiting)
    {
        bool cacheable = context.Count == 0;
        if (cacheable && implementable.TryGetValue(id, out bool known))
        {
            return known;
        }

        if (!visiting.Add(Generics.Key(id, context)))
        {
            return true;
        }

        bool ok = AllMethods(map.Node(id), context).All(x =>
            x.Shape.ConvenientParams
            && x.Shape.ParamValues.All(v => v.ServerToClient is not null || v.ServerType == v.ClientType)
            && x.Shape.ResultsFlat
            && x.Shape.ResultValues.All(r => r.Type.Kind != TypeKind.Interface
                || Implementable(r.Type.TypeId, generics.OfInterface(r.Type)?.Context ?? Generics.None, visiting)));
        if (cacheable)
        {
            implementable[id] = ok;
        }

        return ok;
    }

    private string ResultType(MethodShape m, bool client)
    {
        if (!m.ResultsFlat)
        {
            return client ? $"{Zap}.ZapResults<{m.ResultsScope}.Reader>" : string.Empty;
        }

        var values = m.ResultValues;
        return values.Count switch
        {
            0 => string.Empty,
            1 => client ? values[0].ClientType : values[0].ServerType,
            _ => "(" + string.Join(", ", values.Select(v => (client ? v.ClientType : v.ServerType) + " " + v.Property)) + ")",
        };
    }

    private static string Task(string result) =>
        result.Length == 0 ? "global::System.Threading.Tasks.ValueTask" : $"global::System.Threading.Tasks.ValueTask<{result}>";

    private string ServerParams(SchemaNode iface, MethodShape m)
    {
        var list = new List<string>();
        if (m.ParamsFlat)
        {
            list.AddRange(m.ParamValues.Select(v => $"{v.ServerType} {v.Parameter}"));
        }
        else
        {
            list.Add($"{m.ParamsScope}.Reader parameters");
        }

        if (!m.ResultsFlat)
        {
            list.Add($"{m.ResultsScope}.Builder results");
        }

        list.Add($"{Ct} cancellationToken");
        return string.Join(", ", list);
    }

    private void EmitContract(SchemaNode node, string name, List<MethodShape> methods)
    {
        w.Line();
        w.Doc(node.DocComment ?? $"The Cap'n Proto interface <c>{node.Name}</c>: what a server implements.");
        EmitTypeAttribute(node);
        var supers = node.Interface!.Superclasses.Select(s => SuperOf(node, s, null)?.Contract ?? map.Contract(s.Id)).ToList();
        w.Open($"public partial interface I{name}{(supers.Count > 0 ? " : " + string.Join(", ", supers) : string.Empty)}");
        bool first = true;
        foreach (var m in methods)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            w.Doc(m.Method.DocComment ?? $"<c>{m.Method.Name} @{m.Method.Ordinal}</c>.");
            w.Line($"[{Capnp}.CapnpName({Names.Literal(m.Method.Name)}, {m.Method.Ordinal})]");
            w.Line($"{Task(ResultType(m, client: false))} {m.Name}Async({ServerParams(node, m)});");
        }

        w.Close();
    }

    private void EmitClient(SchemaNode node, string name)
    {
        bool implements = Implementable(node.Id);
        w.Line();
        w.Line($"/// <summary>Calls a remote (or local) <c>{node.Name}</c>. Methods send at once and return promises that can be awaited or pipelined.</summary>");
        w.Open($"public sealed partial class {name}Client : {Zap}.ZapProxy{(implements ? $", I{name}" : string.Empty)}");
        w.Line("/// <summary>Wraps <paramref name=\"capability\"/>, taking over its reference.</summary>");
        w.Line($"public {name}Client({Zap}.ZapCapability capability)");
        w.Line("    : base(capability)");
        w.Line("{");
        w.Line("}");
        w.Line();
        w.Line("/// <summary>A capability served in this process by <paramref name=\"implementation\"/>, to call or to pass to a peer.</summary>");
        w.Line($"public static {name}Client Serve(I{name} implementation) => new({Zap}.ZapCapability.FromServer({name}Server.Create(implementation)));");
        foreach (var (iface, m) in AllMethods(node))
        {
            string scope = m.Spec?.FullName ?? map.Scope(iface.Id);
            string request = $"{scope}.{m.Name}Request";
            string promise = $"{scope}.{m.Name}Promise";
            string caps = m.ParamsNeedCaps ? ", request" : string.Empty;
            w.Line();
            w.Line($"/// <summary>Starts a <c>{m.Method.Name}</c> call: fill in its parameters, then send it.</summary>");
            w.Open($"public {request} New{m.Name}Request()");
            w.Line($"var request = Capability.NewCall({scope}.InterfaceId, {m.Method.Ordinal});");
            w.Line($"return new {request}(request, new {m.ParamsScope}.Builder(request.InitParams({m.ParamsScope}.DataWords, {m.ParamsScope}.PointerCount){caps}));");
            w.Close();
            if (m.ConvenientParams)
            {
                var args = m.ParamValues.Select(v => $"{v.ClientType} {v.Parameter}").Concat(new[] { $"{Ct} cancellationToken = default" });
                w.Line();
                w.Doc(m.Method.DocComment ?? $"Calls <c>{m.Method.Name}</c>.");
                w.Open($"public {promise} {m.Name}({string.Join(", ", args)})");
                w.Line($"var request = New{m.Name}Request();");
                if (m.ParamValues.Count > 0)
                {
                    // The parameters are set apart from the call, so the call has no exception handler of its own
                    // (one costs the call more than setting them does).
                    w.Line($"Fill(in request, {string.Join(", ", m.ParamValues.Select(v => v.Parameter))});");
                }

                w.Line("return request.Send(cancellationToken);");
                if (m.ParamValues.Count > 0)
                {
                    w.Line();
                    w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
                    var fillArgs = m.ParamValues.Select(v => $"{v.ClientType} {v.Parameter}");
                    w.Open($"static void Fill(in {request} request, {string.Join(", ", fillArgs)})");
                    w.Open("try");
                    w.Line("var p = request.Params;");
                    foreach (var v in m.ParamValues)
                    {
                        string value = v.Type.Kind switch
                        {
                            TypeKind.Data => v.Parameter + ".Span",
                            TypeKind.Interface => v.Parameter + "?.Capability",
                            _ => v.Parameter,
                        };
                        w.Line($"p.Set{v.Property}({value});");
                    }

                    w.Close();
                    w.Open("catch");
                    w.Line("request.Dispose();");
                    w.Line("throw;");
                    w.Close();
                    w.Close();
                }

                w.Close();
            }

            if (implements)
            {
                string result = ResultType(m, client: false);
                var args = m.ParamValues.Select(v => v.ServerToClient is { Length: > 0 } convert ? v.Parameter + convert : v.Parameter).Concat(new[] { "cancellationToken" });
                w.Line();
                w.Open($"async {Task(result)} {m.Spec?.Contract ?? map.Contract(iface.Id)}.{m.Name}Async({ServerParams(iface, m)})");
                w.Line($"using var promise = {m.Name}({string.Join(", ", args)});");
                w.Line($"{(result.Length > 0 ? "return " : string.Empty)}await promise.ResultAsync().ConfigureAwait(false);");
                w.Close();
            }
        }

        w.Close();
    }

    private void EmitServer(SchemaNode node, string name, List<MethodShape> methods)
    {
        w.Line();
        w.Line($"/// <summary>Serves <c>{node.Name}</c> calls from <see cref=\"I{name}\"/>: dispatches by interface id and method ordinal.</summary>");
        w.Open($"public sealed partial class {name}Server(I{name} implementation) : {Zap}.IZapServer, global::System.IAsyncDisposable");
        w.Line("/// <summary>The object calls go to.</summary>");
        w.Line($"public I{name} Implementation => implementation;");
        w.Line();
        w.Line("/// <summary>The server for <paramref name=\"implementation\"/>: that of the most derived interface it implements, so callers reach all of it.</summary>");
        w.Open($"public static {Zap}.IZapServer Create(I{name} implementation)");
        foreach (var derived in spec is null ? Derived(node.Id) : new List<SchemaNode>())
        {
            w.Line($"if (implementation is {map.Contract(derived.Id)} derived{derived.Id:x}) return new {map.Server(derived.Id)}(derived{derived.Id:x});");
        }

        w.Line($"return new {name}Server(implementation);");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open($"public global::System.Threading.Tasks.ValueTask DispatchAsync({Zap}.ZapCallContext context)");
        // This interface's own methods are switched on here rather than through DispatchMethodAsync: one call less
        // between the connection and the implementation on every call.
        w.Open($"if (context.InterfaceId == {ScopeName(node.Id)}.InterfaceId)");
        EmitMethodSwitch(node, methods, "implementation");
        w.Close();
        w.Line();
        foreach (var (super, superSpec) in AllMethods(node).Where(x => x.Interface.Id != node.Id).Select(x => (x.Interface, x.Shape.Spec)).Distinct())
        {
            w.Line($"if (context.InterfaceId == {map.Scope(super.Id)}.InterfaceId) return {superSpec?.Server ?? map.Server(super.Id)}.DispatchMethodAsync(implementation, context);");
        }

        w.Line($"throw {Zap}.ZapException.UnimplementedInterface(\"{node.Name}\", context.InterfaceId);");
        w.Close();
        w.Line();
        w.Line("/// <summary>Dispatches a call of this interface's methods to <paramref name=\"target\"/> (also used by servers of derived interfaces).</summary>");
        w.Open($"public static global::System.Threading.Tasks.ValueTask DispatchMethodAsync(I{name} target, {Zap}.ZapCallContext context)");
        EmitMethodSwitch(node, methods, "target");
        w.Close();
        foreach (var m in methods)
        {
            EmitDispatch(m);
        }

        w.Line();
        w.Line("/// <summary>Disposes the implementation when the last reference to the capability is gone.</summary>");
        w.Open("public async global::System.Threading.Tasks.ValueTask DisposeAsync()");
        w.Open("if (implementation is global::System.IAsyncDisposable asyncDisposable)");
        w.Line("await asyncDisposable.DisposeAsync().ConfigureAwait(false);");
        w.Close();
        w.Open("else if (implementation is global::System.IDisposable disposable)");
        w.Line("disposable.Dispose();");
        w.Close();
        w.Close();
        w.Close();
    }

    /// <summary>Interfaces extending <paramref name="id"/>, most derived first.</summary>
    private List<SchemaNode> Derived(ulong id)
    {
        var result = new List<SchemaNode>();
        foreach (var candidate in map.Result.Nodes.Where(n => n.Kind == SchemaNodeKind.Interface && n.Id != id))
        {
            if (AllMethods(candidate).Any(x => x.Interface.Id == id) || Extends(candidate, id, new HashSet<ulong>()))
            {
                result.Add(candidate);
            }
        }

        return result.OrderByDescending(n => Depth(n, new HashSet<ulong>())).ToList();
    }

    private bool Extends(SchemaNode node, ulong id, HashSet<ulong> seen) =>
        seen.Add(node.Id) && node.Interface!.Superclasses.Any(s => s.Id == id || Extends(map.Node(s.Id), id, seen));

    private int Depth(SchemaNode node, HashSet<ulong> seen) =>
        !seen.Add(node.Id) || node.Interface!.Superclasses.Count == 0 ? 0 : 1 + node.Interface.Superclasses.Max(s => Depth(map.Node(s.Id), seen));

    /// <summary>The switch from a call's method ordinal to the dispatch of that method of this interface to <paramref name="target"/>.</summary>
    private void EmitMethodSwitch(SchemaNode node, List<MethodShape> methods, string target)
    {
        w.Open("switch (context.MethodId)");
        foreach (var m in methods)
        {
            w.Line($"case {m.Method.Ordinal}: return {m.Name}Async({target}, context);");
        }

        w.Line($"default: throw {Zap}.ZapException.UnimplementedMethod(\"{node.Name}\", context.MethodId);");
        w.Close();
    }

    private void EmitScope(SchemaNode node, string name, List<MethodShape> methods, Action<SchemaNode> emitNested)
    {
        w.Line();
        w.Line($"/// <summary>Ids, parameter and result structs, requests and promises of <c>{node.Name}</c>.</summary>");
        EmitTypeAttribute(node);
        w.Open($"public static partial class {name}");
        w.Line("/// <summary>The interface id calls carry.</summary>");
        w.Line($"public const ulong InterfaceId = {Names.Hex(node.Id)};");
        foreach (var m in methods)
        {
            if (m.Params.ScopeId == 0)
            {
                EmitMethodStruct(m.Params, m.ParamsScope, m.ParamsCaps, emitNested);
            }

            if (m.Results.ScopeId == 0 && m.Results.Id != m.Params.Id)
            {
                EmitMethodStruct(m.Results, m.ResultsScope, m.ResultsCaps, emitNested);
            }

            EmitRequest(m);
            EmitPromise(m);
        }

        foreach (var nested in spec is null ? node.NestedNodes : Array.Empty<NestedNode>())
        {
            emitNested(map.Node(nested.Id));
        }

        w.Close();
    }
}
