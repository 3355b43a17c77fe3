using Hanzo.Zt;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap;
using static Calculator.CalculatorSchema;

namespace Calculator;

/// <summary>
/// The checks the reference sample client runs against a Calculator server: literals, operators, pipelined
/// evaluations, defined functions and a client-side callback.
/// </summary>
internal sealed class CalculatorChecks(ZapCapability calculator, TextWriter output)
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
        using var evaluation = Evaluate(e => e.WriteFloat64(Expression.Literal, 123), cancellationToken);
        using var value = evaluation.GetPipelinedCapability(0);
        Expect(await Evaluator.ReadValueAsync(value, cancellationToken), 123);
    }

    private async Task AddAndSubtractAsync(CancellationToken cancellationToken)
    {
        using var add = GetOperator(Operator.Add, cancellationToken);
        using var subtract = GetOperator(Operator.Subtract, cancellationToken);

        // subtract(add(123, 45), 67)
        using var evaluation = Evaluate(cancellationToken, (request, e) =>
        {
            var subtractArgs = Call(request, e, subtract, 2);
            var addArgs = Call(request, subtractArgs.GetStruct(0), add, 2);
            Literal(addArgs.GetStruct(0), 123);
            Literal(addArgs.GetStruct(1), 45);
            Literal(subtractArgs.GetStruct(1), 67);
        });
        using var value = evaluation.GetPipelinedCapability(0);
        Expect(await Evaluator.ReadValueAsync(value, cancellationToken), 101);
    }

    private async Task PipeliningAsync(CancellationToken cancellationToken)
    {
        using var add = GetOperator(Operator.Add, cancellationToken);
        using var multiply = GetOperator(Operator.Multiply, cancellationToken);

        // multiply(4, 6), then add 3 and add 5 to that result, all before any answer arrives.
        using var product = Evaluate(cancellationToken, (request, e) =>
        {
            var args = Call(request, e, multiply, 2);
            Literal(args.GetStruct(0), 4);
            Literal(args.GetStruct(1), 6);
        });
        using var productValue = product.GetPipelinedCapability(0);

        using var plus3 = Evaluate(cancellationToken, (request, e) =>
        {
            var args = Call(request, e, add, 2);
            PreviousResult(request, args.GetStruct(0), productValue);
            Literal(args.GetStruct(1), 3);
        });
        using var plus5 = Evaluate(cancellationToken, (request, e) =>
        {
            var args = Call(request, e, add, 2);
            PreviousResult(request, args.GetStruct(0), productValue);
            Literal(args.GetStruct(1), 5);
        });

        using var plus3Value = plus3.GetPipelinedCapability(0);
        using var plus5Value = plus5.GetPipelinedCapability(0);
        var read3 = Evaluator.ReadValueAsync(plus3Value, cancellationToken);
        var read5 = Evaluator.ReadValueAsync(plus5Value, cancellationToken);
        Expect(await read3, 27);
        Expect(await read5, 29);
    }

    private async Task DefiningFunctionsAsync(CancellationToken cancellationToken)
    {
        using var add = GetOperator(Operator.Add, cancellationToken);
        using var multiply = GetOperator(Operator.Multiply, cancellationToken);

        // f(x, y) = x * 100 + y
        using var f = DefFunction(2, cancellationToken, (request, body) =>
        {
            var addArgs = Call(request, body, add, 2);
            var multiplyArgs = Call(request, addArgs.GetStruct(0), multiply, 2);
            Parameter(multiplyArgs.GetStruct(0), 0);
            Literal(multiplyArgs.GetStruct(1), 100);
            Parameter(addArgs.GetStruct(1), 1);
        });

        // g(x) = f(x, x + 1) * 2
        using var g = DefFunction(1, cancellationToken, (request, body) =>
        {
            var multiplyArgs = Call(request, body, multiply, 2);
            var fArgs = Call(request, multiplyArgs.GetStruct(0), f, 2);
            Parameter(fArgs.GetStruct(0), 0);
            var addArgs = Call(request, fArgs.GetStruct(1), add, 2);
            Parameter(addArgs.GetStruct(0), 0);
            Literal(addArgs.GetStruct(1), 1);
            Literal(multiplyArgs.GetStruct(1), 2);
        });

        using var fEvaluation = Evaluate(cancellationToken, (request, e) =>
        {
            var args = Call(request, e, f, 2);
            Literal(args.GetStruct(0), 12);
            Literal(args.GetStruct(1), 34);
        });
        using var gEvaluation = Evaluate(cancellationToken, (request, e) => Literal(Call(request, e, g, 1).GetStruct(0), 21));
        using var fValue = fEvaluation.GetPipelinedCapability(0);
        using var gValue = gEvaluation.GetPipelinedCapability(0);
        var fRead = Evaluator.ReadValueAsync(fValue, cancellationToken);
        var gRead = Evaluator.ReadValueAsync(gValue, cancellationToken);
        Expect(await fRead, 1234);
        Expect(await gRead, 4244);
    }

    private async Task CallbackAsync(CancellationToken cancellationToken)
    {
        using var add = GetOperator(Operator.Add, cancellationToken);
        using var power = ZapCapability.FromServer(new PowerFunction());

        // pow(2, add(4, 5)), where pow runs here and the server calls back into it.
        using var evaluation = Evaluate(cancellationToken, (request, e) =>
        {
            var powArgs = Call(request, e, power, 2);
            Literal(powArgs.GetStruct(0), 2);
            var addArgs = Call(request, powArgs.GetStruct(1), add, 2);
            Literal(addArgs.GetStruct(0), 4);
            Literal(addArgs.GetStruct(1), 5);
        });
        using var value = evaluation.GetPipelinedCapability(0);
        Expect(await Evaluator.ReadValueAsync(value, cancellationToken), 512);
    }

    private ZapCapability GetOperator(Operator op, CancellationToken cancellationToken)
    {
        using var request = calculator.NewCall(CalculatorId, CalculatorSchema.GetOperator);
        request.InitParams(1, 0).WriteUInt16(0, (ushort)op);
        using var promise = request.Send(cancellationToken);
        return promise.GetPipelinedCapability(0);
    }

    private ZapPromise Evaluate(Action<StructBuilder> build, CancellationToken cancellationToken) =>
        Evaluate(cancellationToken, (_, e) => build(e));

    private ZapPromise Evaluate(CancellationToken cancellationToken, Action<ZapRequest, StructBuilder> build)
    {
        using var request = calculator.NewCall(CalculatorId, CalculatorSchema.Evaluate);
        build(request, request.InitParams(0, 1).InitStruct(0, Expression.DataWords, Expression.Pointers));
        return request.Send(cancellationToken);
    }

    private ZapCapability DefFunction(int paramCount, CancellationToken cancellationToken, Action<ZapRequest, StructBuilder> build)
    {
        using var request = calculator.NewCall(CalculatorId, CalculatorSchema.DefFunction);
        var parameters = request.InitParams(1, 1);
        parameters.WriteInt32(0, paramCount);
        build(request, parameters.InitStruct(0, Expression.DataWords, Expression.Pointers));
        using var promise = request.Send(cancellationToken);
        return promise.GetPipelinedCapability(0);
    }

    private static ListBuilder Call(ZapRequest request, StructBuilder expression, ZapCapability function, int arity)
    {
        expression.WriteUInt16(Expression.Tag, Expression.IsCall);
        expression.GetPointer(Expression.Function).SetCapability(request.AddCapability(function));
        return expression.InitStructList(Expression.Params, arity, Expression.DataWords, Expression.Pointers);
    }

    private static void Literal(StructBuilder expression, double value)
    {
        expression.WriteUInt16(Expression.Tag, Expression.IsLiteral);
        expression.WriteFloat64(Expression.Literal, value);
    }

    private static void Parameter(StructBuilder expression, uint index)
    {
        expression.WriteUInt16(Expression.Tag, Expression.IsParameter);
        expression.WriteUInt32(Expression.Parameter, index);
    }

    private static void PreviousResult(ZapRequest request, StructBuilder expression, ZapCapability value)
    {
        expression.WriteUInt16(Expression.Tag, Expression.IsPreviousResult);
        expression.GetPointer(Expression.PreviousResult).SetCapability(request.AddCapability(value));
    }

    private static void Expect(double actual, double expected)
    {
        if (actual != expected)
        {
            throw new CheckFailedException($"expected {expected}, got {actual}");
        }
    }

    /// <summary>The callback the server calls: pow(x, y).</summary>
    private sealed class PowerFunction : IZapServer
    {
        public ValueTask DispatchAsync(ZapCallContext context)
        {
            var args = FunctionArgs.Read(context, expected: 2);
            context.InitResults(1, 0).WriteFloat64(0, Math.Pow(args[0], args[1]));
            return ValueTask.CompletedTask;
        }
    }
}

internal sealed class CheckFailedException(string message) : Exception(message);
