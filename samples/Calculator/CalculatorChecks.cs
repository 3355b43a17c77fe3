using Hanzo.Zt;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap;

namespace Calculator;

/// <summary>
/// The checks the reference sample client runs against a Calculator server: literals, operators, pipelined
/// evaluations, defined functions and a client-side callback.
/// </summary>
internal sealed class CalculatorChecks(CalculatorClient calculator, TextWriter output)
{
    public async Task<bool> RunAllAsync(CancellationToken cancellationToken)
    {
        (string Name, Func<CancellationToken, Task> Check)[] checks =
        [
            ("Evaluating a literal", LiteralAsync),
            ("Using add and subtract", AddAndSubtractAsync),
            ("Pipelining eval() calls", PipeliningAsync),
            ("Defining functions", DefiningFunctionsAsync),
            ("Using a callback", CallbackAsync),
        ];

        bool allPassed = true;
        foreach (var (name, check) in checks)
        {
            output.Write($"{name}... ");
            try
            {
                await check(cancellationToken);
                output.WriteLine("PASS");
            }
            catch (Exception e) when (e is ZapException or CheckFailedException or ZtException)
            {
                output.WriteLine($"FAIL: {e.Message}");
                allPassed = false;
            }
        }

        return allPassed;
    }

    private async Task LiteralAsync(CancellationToken cancellationToken)
    {
        using var evaluation = Evaluate(e => e.SetLiteral(123), cancellationToken);
        using var value = evaluation.Value;
        Expect(await Evaluator.ReadAsync(value, cancellationToken), 123);
    }

    private async Task AddAndSubtractAsync(CancellationToken cancellationToken)
    {
        using var add = GetOperator(Calculator.Operator.Add, cancellationToken);
        using var subtract = GetOperator(Calculator.Operator.Subtract, cancellationToken);

        // subtract(add(123, 45), 67)
        using var evaluation = Evaluate(
            e =>
            {
                var subtractArgs = Call(e, subtract, 2);
                var addArgs = Call(subtractArgs[0], add, 2);
                addArgs[0].SetLiteral(123);
                addArgs[1].SetLiteral(45);
                subtractArgs[1].SetLiteral(67);
            },
            cancellationToken);
        using var value = evaluation.Value;
        Expect(await Evaluator.ReadAsync(value, cancellationToken), 101);
    }

    private async Task PipeliningAsync(CancellationToken cancellationToken)
    {
        using var add = GetOperator(Calculator.Operator.Add, cancellationToken);
        using var multiply = GetOperator(Calculator.Operator.Multiply, cancellationToken);

        // multiply(4, 6), then add 3 and add 5 to that result, all before any answer arrives.
        using var product = Evaluate(
            e =>
            {
                var args = Call(e, multiply, 2);
                args[0].SetLiteral(4);
                args[1].SetLiteral(6);
            },
            cancellationToken);
        using var productValue = product.Value;

        using var plus3 = Evaluate(
            e =>
            {
                var args = Call(e, add, 2);
                args[0].SetPreviousResult(productValue.Capability);
                args[1].SetLiteral(3);
            },
            cancellationToken);
        using var plus5 = Evaluate(
            e =>
            {
                var args = Call(e, add, 2);
                args[0].SetPreviousResult(productValue.Capability);
                args[1].SetLiteral(5);
            },
            cancellationToken);

        using var plus3Value = plus3.Value;
        using var plus5Value = plus5.Value;
        var read3 = Evaluator.ReadAsync(plus3Value, cancellationToken);
        var read5 = Evaluator.ReadAsync(plus5Value, cancellationToken);
        Expect(await read3, 27);
        Expect(await read5, 29);
    }

    private async Task DefiningFunctionsAsync(CancellationToken cancellationToken)
    {
        using var add = GetOperator(Calculator.Operator.Add, cancellationToken);
        using var multiply = GetOperator(Calculator.Operator.Multiply, cancellationToken);

        // f(x, y) = x * 100 + y
        using var f = DefFunction(
            2,
            body =>
            {
                var addArgs = Call(body, add, 2);
                var multiplyArgs = Call(addArgs[0], multiply, 2);
                multiplyArgs[0].SetParameter(0);
                multiplyArgs[1].SetLiteral(100);
                addArgs[1].SetParameter(1);
            },
            cancellationToken);

        // g(x) = f(x, x + 1) * 2
        using var g = DefFunction(
            1,
            body =>
            {
                var multiplyArgs = Call(body, multiply, 2);
                var fArgs = Call(multiplyArgs[0], f, 2);
                fArgs[0].SetParameter(0);
                var addArgs = Call(fArgs[1], add, 2);
                addArgs[0].SetParameter(0);
                addArgs[1].SetLiteral(1);
                multiplyArgs[1].SetLiteral(2);
            },
            cancellationToken);

        using var fEvaluation = Evaluate(
            e =>
            {
                var args = Call(e, f, 2);
                args[0].SetLiteral(12);
                args[1].SetLiteral(34);
            },
            cancellationToken);
        using var gEvaluation = Evaluate(e => Call(e, g, 1)[0].SetLiteral(21), cancellationToken);
        using var fValue = fEvaluation.Value;
        using var gValue = gEvaluation.Value;
        var fRead = Evaluator.ReadAsync(fValue, cancellationToken);
        var gRead = Evaluator.ReadAsync(gValue, cancellationToken);
        Expect(await fRead, 1234);
        Expect(await gRead, 4244);
    }

    private async Task CallbackAsync(CancellationToken cancellationToken)
    {
        using var add = GetOperator(Calculator.Operator.Add, cancellationToken);

        // pow(2, add(4, 5)), where pow runs here and the server calls back into it.
        using var evaluation = Evaluate(
            e =>
            {
                var call = e.InitCall();
                call.SetFunction(new PowerFunction());
                var powArgs = call.InitParams(2);
                powArgs[0].SetLiteral(2);
                var addArgs = Call(powArgs[1], add, 2);
                addArgs[0].SetLiteral(4);
                addArgs[1].SetLiteral(5);
            },
            cancellationToken);
        using var value = evaluation.Value;
        Expect(await Evaluator.ReadAsync(value, cancellationToken), 512);
    }

    private Calculator.FunctionClient GetOperator(Calculator.Operator op, CancellationToken cancellationToken)
    {
        using var promise = calculator.GetOperator(op, cancellationToken);
        return promise.Func;
    }

    private Calculator.EvaluatePromise Evaluate(Action<Calculator.Expression.Builder> build, CancellationToken cancellationToken)
    {
        using var request = calculator.NewEvaluateRequest();
        build(request.Params.InitExpression());
        return request.Send(cancellationToken);
    }

    private Calculator.FunctionClient DefFunction(int paramCount, Action<Calculator.Expression.Builder> build, CancellationToken cancellationToken)
    {
        using var request = calculator.NewDefFunctionRequest();
        request.Params.SetParamCount(paramCount);
        build(request.Params.InitBody());
        using var promise = request.Send(cancellationToken);
        return promise.Func;
    }

    private static Calculator.Expression.BuilderList Call(Calculator.Expression.Builder expression, Calculator.FunctionClient function, int arity)
    {
        var call = expression.InitCall();
        call.SetFunction(function.Capability);
        return call.InitParams(arity);
    }

    private static void Expect(double actual, double expected)
    {
        if (actual != expected)
        {
            throw new CheckFailedException($"expected {expected}, got {actual}");
        }
    }

    /// <summary>The callback the server calls: pow(x, y).</summary>
    private sealed class PowerFunction : Calculator.IFunction
    {
        public ValueTask<double> CallAsync(PrimitiveList<double> @params, CancellationToken cancellationToken)
        {
            FunctionArgs.Check(@params, expected: 2);
            return ValueTask.FromResult(Math.Pow(@params[0], @params[1]));
        }
    }
}

internal sealed class CheckFailedException(string message) : Exception(message);
