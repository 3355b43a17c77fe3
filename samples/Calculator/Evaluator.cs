using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap;
using static Calculator.CalculatorSchema;

namespace Calculator;

/// <summary>Evaluates a Calculator.Expression, calling the capabilities it names.</summary>
internal static class Evaluator
{
    /// <summary>
    /// Evaluates <paramref name="expression"/>; <paramref name="capability"/> turns a cap-table index into a new
    /// reference, and <paramref name="parameters"/> are the values of a defined function's parameters.
    /// </summary>
    public static async Task<double> EvaluateAsync(StructReader expression, Func<uint?, ZapCapability> capability, IReadOnlyList<double> parameters, CancellationToken cancellationToken)
    {
        switch (expression.ReadUInt16(Expression.Tag))
        {
            case Expression.IsLiteral:
                return expression.ReadFloat64(Expression.Literal);

            case Expression.IsPreviousResult:
                using (var value = capability(expression.GetPointer(Expression.PreviousResult).GetCapabilityIndex()))
                {
                    return await ReadValueAsync(value, cancellationToken);
                }

            case Expression.IsParameter:
                uint index = expression.ReadUInt32(Expression.Parameter);
                if (index >= parameters.Count)
                {
                    throw new ZapException(ZapExceptionType.Failed, $"parameter {index} is out of range: the function has {parameters.Count}");
                }

                return parameters[(int)index];

            case Expression.IsCall:
                // Read everything from the message before awaiting: readers of one message are not thread-safe.
                uint? functionIndex = expression.GetPointer(Expression.Function).GetCapabilityIndex();
                var args = expression.ReadList(Expression.Params, ListElementSize.InlineComposite);
                var pending = new Task<double>[args.Count];
                for (int i = 0; i < args.Count; i++)
                {
                    pending[i] = EvaluateAsync(args.GetStruct(i), capability, parameters, cancellationToken);
                }

                double[] values = await Task.WhenAll(pending);
                using (var function = capability(functionIndex))
                {
                    return await CallFunctionAsync(function, values, cancellationToken);
                }

            default:
                throw new ZapException(ZapExceptionType.Unimplemented, $"unknown expression kind {expression.ReadUInt16(Expression.Tag)}");
        }
    }

    public static async Task<double> ReadValueAsync(ZapCapability value, CancellationToken cancellationToken)
    {
        using var request = value.NewCall(ValueId, ValueRead);
        request.InitParams(0, 0);
        using var response = await request.Send(cancellationToken);
        return response.Results.ReadFloat64(0);
    }

    public static async Task<double> CallFunctionAsync(ZapCapability function, double[] values, CancellationToken cancellationToken)
    {
        using var request = function.NewCall(FunctionId, FunctionCall);
        var list = request.InitParams(0, 1).InitList(0, ListElementSize.EightBytes, values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            list.SetFloat64(i, values[i]);
        }

        using var response = await request.Send(cancellationToken);
        return response.Results.ReadFloat64(0);
    }
}
