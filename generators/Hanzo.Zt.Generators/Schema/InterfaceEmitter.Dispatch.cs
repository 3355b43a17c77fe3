using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// The server side of each method: read the parameters, call the implementation, write its results. A method whose
/// implementation completes synchronously answers without an async state machine; one that does not is awaited in
/// a local async function, which writes the results when it completes.
/// </summary>
internal sealed partial class InterfaceEmitter
{
    private const string ValueTaskType = "global::System.Threading.Tasks.ValueTask";

    private void EmitDispatch(MethodShape m)
    {
        string pCaps = m.ParamsNeedCaps ? ", context" : string.Empty;
        string rCaps = m.ResultsNeedCaps ? ", context" : string.Empty;
        string rScope = m.ResultsScope;
        string target = $"I{LocalName(map.Node(InterfaceOf(m)))}";

        // Capability parameters are disposed once the implementation's task completes, so such methods stay async.
        bool ownsCapabilities = m.ParamsFlat && m.ParamValues.Any(v => v.Type.Kind == TypeKind.Interface);
        w.Line();
        w.Open($"private static {(ownsCapabilities ? "async " : string.Empty)}{ValueTaskType} {m.Name}Async({target} target, {Zap}.ZapCallContext context)");
        w.Line($"var p = new {m.ParamsScope}.Reader(context.Params{pCaps});");
        var args = new List<string>();
        if (m.ParamsFlat)
        {
            foreach (var v in m.ParamValues)
            {
                if (v.Type.Kind == TypeKind.Interface)
                {
                    // Capability parameters belong to the call: a server that keeps one clones its Capability.
                    w.Line($"using var {v.Parameter} = p.{v.Property};");
                    args.Add(v.Parameter);
                }
                else
                {
                    args.Add($"p.{v.Property}");
                }
            }
        }
        else
        {
            args.Add("p");
        }

        if (!m.ResultsFlat)
        {
            args.Add($"new {rScope}.Builder(context.InitResults({rScope}.DataWords, {rScope}.PointerCount){rCaps})");
        }

        args.Add("context.CancellationToken");
        string call = $"target.{m.Name}Async({string.Join(", ", args)})";
        if (ownsCapabilities)
        {
            EmitAwaitedResults(m, call, rCaps);
        }
        else if (!m.ResultsFlat)
        {
            // The implementation builds the results itself: its task is the call's.
            w.Line($"return {call};");
        }
        else
        {
            string result = ResultType(m, client: false);
            w.Line($"var pending = {call};");
            w.Open("if (!pending.IsCompletedSuccessfully)");
            w.Line("return AwaitResultsAsync(pending, context);");
            w.Close();
            w.Line();
            if (result.Length == 0)
            {
                w.Line("pending.GetAwaiter().GetResult();");
                w.Line($"context.InitResults({rScope}.DataWords, {rScope}.PointerCount);");
            }
            else
            {
                w.Line("var result = pending.Result;");
                EmitWriteResults(m, rCaps);
            }

            w.Line("return default;");
            w.Line();
            w.Open($"static async {ValueTaskType} AwaitResultsAsync({Task(result)} pending, {Zap}.ZapCallContext context)");
            EmitAwaitedResults(m, "pending", rCaps);
            w.Close();
        }

        w.Close();
    }

    // Awaits the implementation's task, then writes its flat results (the body of an async method).
    private void EmitAwaitedResults(MethodShape m, string task, string rCaps)
    {
        if (!m.ResultsFlat || m.ResultValues.Count == 0)
        {
            w.Line($"await {task}.ConfigureAwait(false);");
            if (m.ResultsFlat)
            {
                w.Line($"context.InitResults({m.ResultsScope}.DataWords, {m.ResultsScope}.PointerCount);");
            }
        }
        else
        {
            w.Line($"var result = await {task}.ConfigureAwait(false);");
            EmitWriteResults(m, rCaps);
        }
    }

    // Writes the local `result` (one value, or a tuple of several) into the results struct.
    private void EmitWriteResults(MethodShape m, string rCaps)
    {
        string rScope = m.ResultsScope;
        w.Line($"var r = new {rScope}.Builder(context.InitResults({rScope}.DataWords, {rScope}.PointerCount){rCaps});");
        bool single = m.ResultValues.Count == 1;
        foreach (var v in m.ResultValues)
        {
            string value = single ? "result" : "result." + v.Property;
            w.Line($"r.Set{v.Property}({value}{(v.Type.Kind == TypeKind.Data ? ".Span" : string.Empty)});");
        }
    }

    private ulong InterfaceOf(MethodShape m) =>
        map.Result.Nodes.First(n => n.Interface?.Methods.Contains(m.Method) ?? false).Id;
}
