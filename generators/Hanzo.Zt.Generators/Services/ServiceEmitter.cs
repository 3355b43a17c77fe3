using Hanzo.Zt.Capnp.Compiler;
using Hanzo.Zt.Generators.Schema;

namespace Hanzo.Zt.Generators.Services;

/// <summary>
/// Emits a [ZtService] interface's client proxy, server dispatcher and schema class. The interface's .capnp text
/// is compiled with the schema compiler first, so the parameter structs' layouts are exactly the reference's.
/// </summary>
internal static class ServiceEmitter
{
    private const string Zap = "global::Hanzo.Zt.Zap";

    public static (string? Source, List<DiagnosticInfo> Diagnostics) Emit(ServiceModel service)
    {
        var diagnostics = new List<DiagnosticInfo>();
        string capnp = CapnpTextWriter.Write(service);
        string fileName = service.StemName + ".capnp";
        var result = SchemaCompiler.Compile(fileName, capnp, new SchemaCompilerOptions { Loader = new InMemorySchemaLoader() });
        if (!result.Success)
        {
            foreach (var d in result.Diagnostics.Where(d => d.Severity == Hanzo.Zt.Capnp.Compiler.DiagnosticSeverity.Error))
            {
                diagnostics.Add(new DiagnosticInfo(ZtDiagnostics.DuplicateOrdinal.Id, $"{service.InterfaceName} does not form a valid Cap'n Proto interface: {d.Message}", null, 0, 0, 0, 0, 0, 0));
            }

            return (null, diagnostics);
        }

        string schemaClass = service.StemName + "Schema";
        string ns = service.Namespace;
        var map = new TypeMap(result, _ => (ns.Length > 0 ? ns + "." : string.Empty) + schemaClass, hasZap: true);
        var iface = result.Nodes.First(n => n.Kind == SchemaNodeKind.Interface);
        var w = new CodeWriter();
        if (ns.Length > 0)
        {
            w.Line($"namespace {ns};");
            w.Line();
        }

        string access = service.Accessibility;
        string scope = map.Scope(iface.Id);
        w.Line($"/// <summary>The Cap'n Proto form of <see cref=\"{service.FullName}\"/>: its schema text, ids and message layouts.</summary>");
        w.Open($"{access} static partial class {schemaClass}");
        w.Line("/// <summary>The interface's .capnp text, for other languages to compile (also printed by <c>zt capnp export</c>).</summary>");
        w.Line($"public const string CapnpText = {Names.Literal(capnp)};");
        w.Line();
        w.Line("/// <summary>The interface id calls carry.</summary>");
        w.Line($"public const ulong InterfaceId = {Names.Hex(iface.Id)};");
        var structs = new StructEmitter(map, w);
        w.Line();
        w.Open($"public static partial class {map.LocalName(iface)}");
        w.Line("/// <summary>The interface id calls carry.</summary>");
        w.Line($"public const ulong InterfaceId = {Names.Hex(iface.Id)};");
        foreach (var m in iface.Interface!.Methods)
        {
            w.Line();
            structs.Emit(map.Node(m.ParamStructType), _ => { });
            w.Line();
            structs.Emit(map.Node(m.ResultStructType), _ => { });
        }

        w.Close();
        foreach (var node in result.Nodes.Where(n => n.Kind == SchemaNodeKind.Struct && n.ScopeId != 0 && !n.Struct!.IsGroup))
        {
            w.Line();
            structs.Emit(node, _ => { });
        }

        foreach (var node in result.Nodes.Where(n => n.Kind == SchemaNodeKind.Enum))
        {
            SchemaFileEmitter.EmitEnum(w, map, node);
        }

        foreach (var record in service.Records)
        {
            EmitRecordConversions(w, map, result, record);
        }

        w.Close();
        EmitClient(w, service, map, iface, schemaClass);
        EmitServer(w, service, map, iface);
        w.Line();
        w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"Hanzo.Zt.Generators\", \"1.0\")]");
        w.Line($"file static class {service.StemName}Registration");
        w.Line("{");
        w.Line("    [global::System.Runtime.CompilerServices.ModuleInitializer]");
        w.Line($"    internal static void Register() => global::Hanzo.Zt.Zap.ZapServiceRegistry.Register<{service.FullName}>(");
        w.Line($"        static capability => new {service.StemName}Client(capability),");
        w.Line($"        static implementation => new {service.StemName}Server(implementation),");
        w.Line($"        {schemaClass}.CapnpText);");
        w.Line("}");
        return (CodeWriter.Header() + w, diagnostics);
    }

    private static ulong StructId(CompilationResult result, string capnpName) =>
        result.Nodes.First(n => n.Kind == SchemaNodeKind.Struct && n.ScopeId != 0 && n.Name == capnpName).Id;

    private static string Prop(string capnpName) => Names.Pascal(capnpName) is var p && p is "Struct" or "Caps" or "Which" or "Reader" or "Builder" ? p + "_" : p;

    private static void EmitRecordConversions(CodeWriter w, TypeMap map, CompilationResult result, RecordModel record)
    {
        ulong id = StructId(result, record.CapnpName);
        w.Line();
        w.Line($"/// <summary>Writes a <see cref=\"{record.CSharp}\"/> into its struct.</summary>");
        w.Open($"public static void Write({map.Builder(id)} builder, {record.CSharp} value)");
        foreach (var f in record.Fields)
        {
            WriteMember(w, map, result, "builder", f, "value." + f.Name);
        }

        w.Close();
        w.Line();
        w.Line($"/// <summary>Reads a <see cref=\"{record.CSharp}\"/> out of its struct.</summary>");
        var values = record.Fields.Select(f => ReadMember(map, result, "reader", f)).ToList();
        string body = record.UseConstructor
            ? $"new {record.CSharp}({string.Join(", ", values)})"
            : $"new {record.CSharp} {{ {string.Join(", ", record.Fields.Select((f, i) => f.Name + " = " + values[i]))} }}";
        w.Line($"public static {record.CSharp} Read({map.Reader(id)} reader) => {body};");
    }

    public static void WriteMember(CodeWriter w, TypeMap map, CompilationResult result, string builder, MemberModel m, string value)
    {
        string p = Prop(m.CapnpName);
        var t = m.Type;
        switch (t.Kind)
        {
            case ValueKind.Primitive:
            case ValueKind.Text:
                w.Line($"{builder}.Set{p}({value});");
                break;
            case ValueKind.Enum:
                w.Line($"{builder}.Set{p}(({EnumScope(map, result, t.Capnp)})(ushort){value});");
                break;
            case ValueKind.Optional:
                string set = t.ElementKind == ValueKind.Enum ? $"({EnumScope(map, result, t.ElementCapnp!)})(ushort)v{p}" : "v" + p;
                w.Line($"if ({value} is {{ }} v{p}) {builder}.Init{p}().SetValue({set});");
                break;
            case ValueKind.Data:
                w.Line($"if ({value} is not null) {builder}.Set{p}({value});");
                break;
            case ValueKind.Record:
                string schema = SchemaClass(map, result);
                w.Line(t.IsReference ? $"if ({value} is not null) {schema}.Write({builder}.Init{p}(), {value});" : $"{schema}.Write({builder}.Init{p}(), {value});");
                break;
            case ValueKind.List:
                string items = t.IsArray ? value : $"global::System.Linq.Enumerable.ToArray({value})";
                if (t.ElementKind == ValueKind.Record)
                {
                    w.Open($"if ({value} is not null)");
                    w.Line($"var items{p} = {items};");
                    w.Line($"var list{p} = {builder}.Init{p}(items{p}.Length);");
                    w.Open($"for (int i = 0; i < items{p}.Length; i++)");
                    w.Line($"{SchemaClass(map, result)}.Write(list{p}[i], items{p}[i]);");
                    w.Close();
                    w.Close();
                }
                else if (t.ElementKind == ValueKind.Optional)
                {
                    w.Open($"if ({value} is not null)");
                    w.Line($"var items{p} = {items};");
                    w.Line($"var list{p} = {builder}.Init{p}(items{p}.Length);");
                    w.Open($"for (int i = 0; i < items{p}.Length; i++)");
                    w.Line($"if (items{p}[i] is {{ }} item) list{p}[i].SetValue(item); else list{p}[i].SetNone();");
                    w.Close();
                    w.Close();
                }
                else if (t.ElementKind == ValueKind.Enum)
                {
                    string schemaEnum = EnumScope(map, result, t.ElementCapnp!);
                    w.Line($"if ({value} is not null) {builder}.Set{p}(global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.Select({value}, static x => ({schemaEnum})(ushort)x)));");
                }
                else
                {
                    w.Line($"if ({value} is not null) {builder}.Set{p}({items});");
                }

                break;
        }
    }

    public static string ReadMember(TypeMap map, CompilationResult result, string reader, MemberModel m)
    {
        string p = Prop(m.CapnpName);
        var t = m.Type;
        string get = $"{reader}.{p}";
        switch (t.Kind)
        {
            case ValueKind.Data:
                return get + ".ToArray()";
            case ValueKind.Enum:
                return $"({t.CSharp})(ushort){get}";
            case ValueKind.Optional:
                string inner = t.ElementKind == ValueKind.Enum ? $"({t.Element})(ushort){get}.Value" : get + ".Value";
                return $"({reader}.Has{p} ? ({t.Element}?){inner} : null)";
            case ValueKind.Record:
                return $"({reader}.Has{p} ? {SchemaClass(map, result)}.Read({get}) : default!)";
            case ValueKind.List:
                string array = t.ElementKind switch
                {
                    ValueKind.Data => $"global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.Select({get}, static x => x.ToArray()))",
                    ValueKind.Record => $"global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.Select({get}, static x => {SchemaClass(map, result)}.Read(x)))",
                    ValueKind.Enum => $"global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.Select({get}, static x => ({t.Element})(ushort)x))",
                    ValueKind.Optional => $"global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.Select({get}, static x => "
                        + $"x.Which == {StructScope(map, result, t.ElementCapnp!)}.Which.Value ? ({t.Element}?)x.Value : null))",
                    _ => get + ".ToArray()",
                };
                string element = t.ElementKind == ValueKind.Optional ? t.Element + "?" : t.Element!;
                return t.IsArray ? array : $"new global::System.Collections.Generic.List<{element}>({array})";
            default:
                return get;
        }
    }

    private static string StructScope(TypeMap map, CompilationResult result, string capnpName) =>
        map.Scope(result.Nodes.First(n => n.Kind == SchemaNodeKind.Struct && n.Name == capnpName).Id);

    private static string EnumScope(TypeMap map, CompilationResult result, string capnpName) =>
        map.Scope(result.Nodes.First(n => n.Kind == SchemaNodeKind.Enum && n.Name == capnpName).Id);

    private static string SchemaClass(TypeMap map, CompilationResult result)
    {
        var file = result.Nodes.First(n => n.Kind == SchemaNodeKind.File);
        return map.Parent(result.Nodes.First(n => n.ScopeId == file.Id));
    }

    private static void EmitClient(CodeWriter w, ServiceModel service, TypeMap map, SchemaNode iface, string schemaClass)
    {
        w.Line();
        w.Line($"/// <summary>Calls a remote <see cref=\"{service.FullName}\"/> over ZAP.</summary>");
        w.Open($"{service.Accessibility} sealed partial class {service.StemName}Client : {Zap}.ZapProxy, {service.FullName}");
        w.Line("/// <summary>Wraps <paramref name=\"capability\"/>, taking over its reference.</summary>");
        w.Line($"public {service.StemName}Client({Zap}.ZapCapability capability)");
        w.Line("    : base(capability)");
        w.Line("{");
        w.Line("}");
        foreach (var m in service.Methods)
        {
            var sm = iface.Interface!.Methods.First(x => x.Ordinal == m.Ordinal);
            string pScope = map.Scope(sm.ParamStructType);
            string rScope = map.Scope(sm.ResultStructType);
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Open($"public async {m.ReturnType} {m.Name}({m.ParameterList})");
            w.Line($"var request = Capability.NewCall({schemaClass}.InterfaceId, {m.Ordinal});");
            w.Line($"{Zap}.ZapPromise promise;");
            w.Open("try");
            w.Line($"var p = new {pScope}.Builder(request.InitParams({pScope}.DataWords, {pScope}.PointerCount){CapTable(map, sm.ParamStructType, "request")});");
            foreach (var param in m.Parameters)
            {
                WriteMember(w, map, map.Result, "p", param, Names.Identifier(param.Name));
            }

            w.Line($"promise = request.Send({(m.CancellationTokenName is { } ct ? Names.Identifier(ct) : "default")});");
            w.Close();
            w.Open("catch");
            w.Line("request.Dispose();");
            w.Line("throw;");
            w.Close();
            w.Line();
            w.Line("using (promise)");
            w.Line("{");
            w.Line("    using var response = await promise.ResponseAsync().ConfigureAwait(false);");
            string rCaps = CapTable(map, sm.ResultStructType, "response");
            if (m.Result is { } result)
            {
                w.Line($"    var r = new {rScope}.Reader(response.Results{rCaps});");
                w.Line($"    return {ReadMember(map, map.Result, "r", new MemberModel("result", "result", 0, result))};");
            }
            else if (m.TupleResults.Count > 0)
            {
                w.Line($"    var r = new {rScope}.Reader(response.Results{rCaps});");
                w.Line($"    return ({string.Join(", ", m.TupleResults.Select(f => ReadMember(map, map.Result, "r", f)))});");
            }

            w.Line("}");
            w.Close();
        }

        w.Close();
    }

    // Writes the local `result` (the method's value or tuple) into the results struct, or starts empty results.
    private static void EmitWriteResults(CodeWriter w, TypeMap map, MethodModel m, string rScope, string rCaps)
    {
        if (m.Result is { } result)
        {
            w.Line($"var r = new {rScope}.Builder(context.InitResults({rScope}.DataWords, {rScope}.PointerCount){rCaps});");
            WriteMember(w, map, map.Result, "r", new MemberModel("result", "result", 0, result), "result");
        }
        else if (m.TupleResults.Count > 0)
        {
            w.Line($"var r = new {rScope}.Builder(context.InitResults({rScope}.DataWords, {rScope}.PointerCount){rCaps});");
            foreach (var f in m.TupleResults)
            {
                WriteMember(w, map, map.Result, "r", f, "result." + f.Name);
            }
        }
        else
        {
            w.Line($"context.InitResults({rScope}.DataWords, {rScope}.PointerCount);");
        }
    }

    // The cap table argument of a reader or builder: only for a struct that may hold capabilities (boxing the
    // engine's table costs an allocation per call).
    private static string CapTable(TypeMap map, ulong structId, string table) =>
        map.CarriesCaps(structId) && map.MayHoldCaps(structId) ? ", " + table : string.Empty;

    private static void EmitServer(CodeWriter w, ServiceModel service, TypeMap map, SchemaNode iface)
    {
        string schemaClass = service.StemName + "Schema";
        w.Line();
        w.Line($"/// <summary>Serves <see cref=\"{service.FullName}\"/> over ZAP: dispatches by interface id and method ordinal.</summary>");
        w.Open($"{service.Accessibility} sealed partial class {service.StemName}Server({service.FullName} implementation) : {Zap}.IZapServer, global::System.IAsyncDisposable");
        w.Line("/// <inheritdoc/>");
        w.Open($"public global::System.Threading.Tasks.ValueTask DispatchAsync({Zap}.ZapCallContext context)");
        w.Open($"if (context.InterfaceId != {schemaClass}.InterfaceId)");
        w.Line($"throw {Zap}.ZapException.UnimplementedInterface(\"{service.CapnpName}\", context.InterfaceId);");
        w.Close();
        w.Line();
        w.Open("switch (context.MethodId)");
        foreach (var m in service.Methods)
        {
            w.Line($"case {m.Ordinal}: return {m.Name}Core(context);");
        }

        w.Line($"default: throw {Zap}.ZapException.UnimplementedMethod(\"{service.CapnpName}\", context.MethodId);");
        w.Close();
        w.Close();
        foreach (var m in service.Methods)
        {
            var sm = iface.Interface!.Methods.First(x => x.Ordinal == m.Ordinal);
            string pScope = map.Scope(sm.ParamStructType);
            string rScope = map.Scope(sm.ResultStructType);
            var args = m.DeclaredOrder.Select(name => name == m.CancellationTokenName
                ? "context.CancellationToken"
                : ReadMember(map, map.Result, "p", m.Parameters.First(x => x.Name == name)));
            w.Line();
            w.Open($"private global::System.Threading.Tasks.ValueTask {m.Name}Core({Zap}.ZapCallContext context)");
            w.Line($"var p = new {pScope}.Reader(context.Params{CapTable(map, sm.ParamStructType, "context")});");
            w.Line($"var pending = implementation.{m.Name}({string.Join(", ", args)});");
            w.Open("if (!pending.IsCompletedSuccessfully)");
            w.Line("return AwaitResultsAsync(pending, context);");
            w.Close();
            w.Line();
            bool hasResults = m.Result is not null || m.TupleResults.Count > 0;
            w.Line(hasResults ? "var result = pending.GetAwaiter().GetResult();" : "pending.GetAwaiter().GetResult();");
            EmitWriteResults(w, map, m, rScope, CapTable(map, sm.ResultStructType, "context"));
            w.Line("return default;");
            w.Line();
            w.Open($"static async global::System.Threading.Tasks.ValueTask AwaitResultsAsync({m.ReturnType} pending, {Zap}.ZapCallContext context)");
            w.Line(hasResults ? "var result = await pending.ConfigureAwait(false);" : "await pending.ConfigureAwait(false);");
            EmitWriteResults(w, map, m, rScope, CapTable(map, sm.ResultStructType, "context"));
            w.Close();
            w.Close();
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
}
