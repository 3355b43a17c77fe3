using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap;

namespace Calculator;

/// <summary>The Calculator: evaluates expressions, hands out operators and defines functions.</summary>
internal sealed class CalculatorService : ICalculator
{
    public async ValueTask<Calculator.IValue> EvaluateAsync(Calculator.Expression.Reader expression, CancellationToken cancellationToken) =>
        new ValueService(await Evaluator.EvaluateAsync(expression, [], cancellationToken));

    public ValueTask<Calculator.IFunction> DefFunctionAsync(int paramCount, Calculator.Expression.Reader body, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Calculator.IFunction>(new FunctionService(paramCount, ZapRetainedMessage.Copy(body.Struct, body.Caps)));

    public ValueTask<Calculator.IFunction> GetOperatorAsync(Calculator.Operator op, CancellationToken cancellationToken) =>
        op > Calculator.Operator.Divide
            ? throw new ZapException(ZapExceptionType.Failed, $"unknown operator {(ushort)op}")
            : ValueTask.FromResult<Calculator.IFunction>(new OperatorService(op));
}

/// <summary>A computed value.</summary>
internal sealed class ValueService(double value) : Calculator.IValue
{
    public ValueTask<double> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(value);
}

/// <summary>One of the four arithmetic operators.</summary>
internal sealed class OperatorService(Calculator.Operator op) : Calculator.IFunction
{
    public ValueTask<double> CallAsync(PrimitiveList<double> @params, CancellationToken cancellationToken)
    {
        FunctionArgs.Check(@params, expected: 2);
        double result = op switch
        {
            Calculator.Operator.Add => @params[0] + @params[1],
            Calculator.Operator.Subtract => @params[0] - @params[1],
            Calculator.Operator.Multiply => @params[0] * @params[1],
            _ => @params[0] / @params[1],
        };
        return ValueTask.FromResult(result);
    }
}

/// <summary>A function defined by the client: its body, kept past the call that defined it, is evaluated with the call's parameters.</summary>
internal sealed class FunctionService(int paramCount, ZapRetainedMessage body) : Calculator.IFunction, IDisposable
{
    public async ValueTask<double> CallAsync(PrimitiveList<double> @params, CancellationToken cancellationToken)
    {
        FunctionArgs.Check(@params, paramCount);
        return await Evaluator.EvaluateAsync(new Calculator.Expression.Reader(body.Root, body), @params.ToArray(), cancellationToken);
    }

    public void Dispose() => body.Dispose();
}

internal static class FunctionArgs
{
    public static void Check(PrimitiveList<double> values, int expected)
    {
        if (values.Count != expected)
        {
            throw new ZapException(ZapExceptionType.Failed, $"wrong number of parameters: expected {expected}, got {values.Count}");
        }
    }
}
