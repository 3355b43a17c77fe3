using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>The request (parameters being built) and promise (results to await or pipeline on) of each method.</summary>
internal sealed partial class InterfaceEmitter
{
    private void EmitRequest(MethodShape m)
    {
        w.Line();
        w.Line($"/// <summary>A <c>{m.Method.Name}</c> call being prepared; dispose it if it is never sent.</summary>");
        w.Open($"public readonly struct {m.Name}Request : global::System.IDisposable");
        w.Line($"private readonly {Zap}.ZapRequest _request;");
        w.Line();
        w.Line("/// <summary>Wraps an engine request and its parameters' builder.</summary>");
        w.Open($"public {m.Name}Request({Zap}.ZapRequest request, {m.ParamsScope}.Builder parameters)");
        w.Line("_request = request;");
        w.Line("Params = parameters;");
        w.Close();
        w.Line();
        w.Line("/// <summary>The parameters, built in place in the message that goes on the wire.</summary>");
        w.Line($"public {m.ParamsScope}.Builder Params {{ get; }}");
        w.Line();
        w.Line("/// <summary>The untyped request.</summary>");
        w.Line($"public {Zap}.ZapRequest Raw => _request;");
        w.Line();
        w.Line("/// <summary>Sends the call; the promise can be awaited or pipelined at once.</summary>");
        w.Line($"public {m.Name}Promise Send({Ct} cancellationToken = default) => new(_request.Send(cancellationToken));");
        w.Line();
        w.Line("/// <summary>Drops the request if it was not sent.</summary>");
        w.Line("public void Dispose() => _request.Dispose();");
        w.Close();
    }

    private void EmitPromise(MethodShape m)
    {
        string result = ResultType(m, client: true);
        string task = Task(result);
        string rCaps = m.ResultsNeedCaps ? ", response" : string.Empty;
        w.Line();
        w.Line($"/// <summary>The pending results of a <c>{m.Method.Name}</c> call: await it, or call capabilities it will hold before it arrives.</summary>");
        w.Open($"public readonly struct {m.Name}Promise : global::System.IDisposable");
        w.Line($"private readonly {Zap}.ZapPromise _promise;");
        w.Line();
        w.Line("/// <summary>Wraps an engine promise.</summary>");
        w.Line($"public {m.Name}Promise({Zap}.ZapPromise promise) => _promise = promise;");
        w.Line();
        w.Line("/// <summary>The untyped promise.</summary>");
        w.Line($"public {Zap}.ZapPromise Raw => _promise;");
        foreach (var f in m.Results.Struct!.Fields.Where(f => !f.IsGroup && Bind(m, f.Type!).Kind == TypeKind.Interface))
        {
            w.Line();
            w.Line($"/// <summary>The <c>{f.Name}</c> the results will hold, callable now (pipelined); dispose it when done.</summary>");
            w.Line($"public {generics.ClientOf(Bind(m, f.Type!))} {Names.Pascal(f.Name)} => new(_promise.GetPipelinedCapability({f.Offset}));");
        }

        w.Line();
        w.Line("/// <summary>Awaits the results (without a state machine of its own: awaiting a call allocates nothing more than the call).</summary>");
        w.Line("public ResultAwaiter GetAwaiter() => new(_promise.ResponseAsync().ConfigureAwait(false).GetAwaiter());");
        w.Line();
        w.Line("/// <summary>Waits for the results.</summary>");
        w.Line($"public async {task} ResultAsync() => await this;");
        w.Line();
        w.Line("/// <summary>Awaits the engine's response and reads the results from it.</summary>");
        w.Open("public readonly struct ResultAwaiter : global::System.Runtime.CompilerServices.ICriticalNotifyCompletion");
        w.Line($"private readonly global::System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable<{Zap}.ZapResponse>.ConfiguredValueTaskAwaiter _response;");
        w.Line();
        w.Line("/// <summary>Wraps the awaiter of the engine's response.</summary>");
        w.Line($"public ResultAwaiter(global::System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable<{Zap}.ZapResponse>.ConfiguredValueTaskAwaiter response) => _response = response;");
        w.Line();
        w.Line("/// <summary>Whether the results are there.</summary>");
        w.Line("public bool IsCompleted => _response.IsCompleted;");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public void OnCompleted(global::System.Action continuation) => _response.OnCompleted(continuation);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public void UnsafeOnCompleted(global::System.Action continuation) => _response.UnsafeOnCompleted(continuation);");
        w.Line();
        w.Line("/// <summary>The results (or the call's error).</summary>");
        w.Open($"public {(result.Length > 0 ? result : "void")} GetResult()");
        if (!m.ResultsFlat)
        {
            w.Line("var response = _response.GetResult();");
            w.Line($"return new {result}(response, new {m.ResultsScope}.Reader(response.Results{rCaps}));");
        }
        else
        {
            w.Line("using var response = _response.GetResult();");
            if (m.ResultValues.Count > 0)
            {
                w.Line($"var r = new {m.ResultsScope}.Reader(response.Results{rCaps});");
                var values = m.ResultValues.Select(v => "r." + v.Property + (v.Type.Kind == TypeKind.Data ? ".ToArray()" : string.Empty)).ToList();
                w.Line($"return {(values.Count == 1 ? values[0] : "(" + string.Join(", ", values) + ")")};");
            }
        }

        w.Close();
        w.Close();
        w.Line();
        w.Line("/// <summary>Lets go of the results; cancels the call if nothing else waits for it.</summary>");
        w.Line("public void Dispose() => _promise.Dispose();");
        w.Close();
    }
}
