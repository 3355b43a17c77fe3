using Hanzo.Zt.Zap;

namespace Calculator;

/// <summary>Evaluates a Calculator.Expression, calling the capabilities it names.</summary>
internal static class Evaluator
{
    /// <summary>Evaluates <paramref name="expression"/>; <paramref name="parameters"/> are a defined function's parameter values.</summary>
    public static async Task<double> EvaluateAsync(Calculator.Expression.Reader expression, IReadOnlyList<double> parameters, CancellationToken cancellationToken)
    {
        switch (expression.Which)
        {
            case Calculator.Expression.Which.Literal:
                return expression.Literal;

            case Calculator.Expression.Which.PreviousResult:
                using (var value = expression.PreviousResult)
                {
                    return await ReadAsync(value, cancellationToken);
                }

            case Calculator.Expression.Which.Parameter:
                uint index = expression.Parameter;
                if (index >= parameters.Count)
                {
                    throw new ZapException(ZapExceptionType.Failed, $"parameter {index} is out of range: the function has {parameters.Count}");
                }

                return parameters[(int)index];

            case Calculator.Expression.Which.Call:
                // Read everything from the message before awaiting: readers of one message are not thread-safe.
                var call = expression.Call;
                using (var function = call.Function)
                {
                    var args = call.Params;
                    var pending = new Task<double>[args.Count];
                    for (int i = 0; i < args.Count; i++)
                    {
                        pending[i] = EvaluateAsync(args[i], parameters, cancellationToken);
                    }

                    double[] values = await Task.WhenAll(pending);
                    using var result = function.Call(values, cancellationToken);
                    return await result;
                }

            default:
                throw new ZapException(ZapExceptionType.Unimplemented, $"unknown expression kind {(ushort)expression.Which}");
        }
    }

    /// <summary>Calls <c>read()</c> on a Value.</summary>
    public static async Task<double> ReadAsync(Calculator.ValueClient value, CancellationToken cancellationToken)
    {
        using var read = value.Read(cancellationToken);
        return await read;
    }

    /// <summary>Calls <c>read()</c> on a capability known to be a Value (the caller keeps its reference).</summary>
    public static async Task<double> ReadValueAsync(ZapCapability value, CancellationToken cancellationToken)
    {
        using var client = new Calculator.ValueClient(value.Clone());
        return await ReadAsync(client, cancellationToken);
    }
}
