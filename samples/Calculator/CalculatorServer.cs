using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap;
using static Calculator.CalculatorSchema;

namespace Calculator;

/// <summary>The Calculator: evaluates expressions, hands out operators and defines functions.</summary>
internal sealed class CalculatorServer : IZapServer
{
    public async ValueTask DispatchAsync(ZapCallContext context)
    {
        if (context.InterfaceId != CalculatorId)
        {
            throw new ZapException(ZapExceptionType.Unimplemented, $"Calculator does not implement interface {context.InterfaceId:x16}");
        }

        switch (context.MethodId)
        {
            case Evaluate:
                var expression = context.Params.ReadStruct(0);
                double value = await Evaluator.EvaluateAsync(expression, context.GetCapability, [], context.CancellationToken);
                ReturnCapability(context, new ValueServer(value));
                break;

            case DefFunction:
                int paramCount = context.Params.ReadInt32(0);
                var body = StoredExpression.Copy(context.Params.GetPointer(0), context);
                ReturnCapability(context, new FunctionServer(paramCount, body));
                break;

            case GetOperator:
                var op = (Operator)context.Params.ReadUInt16(0);
                if (op > Operator.Divide)
                {
                    throw new ZapException(ZapExceptionType.Failed, $"unknown operator {(ushort)op}");
                }

                ReturnCapability(context, new OperatorServer(op));
                break;

            default:
                throw new ZapException(ZapExceptionType.Unimplemented, $"Calculator has no method {context.MethodId}");
        }
    }

    /// <summary>Results of the shape <c>(x :SomeInterface)</c>: one capability in pointer 0.</summary>
    private static void ReturnCapability(ZapCallContext context, IZapServer server)
    {
        using var capability = ZapCapability.FromServer(server);
        context.InitResults(0, 1).GetPointer(0).SetCapability(context.AddResultCapability(capability));
    }
}

/// <summary>A computed value.</summary>
internal sealed class ValueServer(double value) : IZapServer
{
    public ValueTask DispatchAsync(ZapCallContext context)
    {
        if (context.InterfaceId != ValueId || context.MethodId != ValueRead)
        {
            throw new ZapException(ZapExceptionType.Unimplemented, "Value implements only read()");
        }

        context.InitResults(1, 0).WriteFloat64(0, value);
        return ValueTask.CompletedTask;
    }
}

/// <summary>One of the four arithmetic operators.</summary>
internal sealed class OperatorServer(Operator op) : IZapServer
{
    public ValueTask DispatchAsync(ZapCallContext context)
    {
        var args = FunctionArgs.Read(context, expected: 2);
        double result = op switch
        {
            Operator.Add => args[0] + args[1],
            Operator.Subtract => args[0] - args[1],
            Operator.Multiply => args[0] * args[1],
            _ => args[0] / args[1],
        };
        context.InitResults(1, 0).WriteFloat64(0, result);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A function defined by the client: its body is evaluated with the call's parameters.</summary>
internal sealed class FunctionServer(int paramCount, StoredExpression body) : IZapServer, IDisposable
{
    public async ValueTask DispatchAsync(ZapCallContext context)
    {
        var args = FunctionArgs.Read(context, paramCount);
        double result = await Evaluator.EvaluateAsync(body.Root, body.GetCapability, args, context.CancellationToken);
        context.InitResults(1, 0).WriteFloat64(0, result);
    }

    public void Dispose() => body.Dispose();
}

internal static class FunctionArgs
{
    public static double[] Read(ZapCallContext context, int expected)
    {
        if (context.InterfaceId != FunctionId || context.MethodId != FunctionCall)
        {
            throw new ZapException(ZapExceptionType.Unimplemented, "Function implements only call()");
        }

        var list = context.Params.ReadList(0, ListElementSize.EightBytes);
        if (list.Count != expected)
        {
            throw new ZapException(ZapExceptionType.Failed, $"wrong number of parameters: expected {expected}, got {list.Count}");
        }

        var values = new double[list.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = list.GetFloat64(i);
        }

        return values;
    }
}

/// <summary>An expression kept after its call returned: copied into its own message with its capabilities held.</summary>
internal sealed class StoredExpression : IDisposable
{
    private readonly MessageBuilder _message;
    private readonly MessageReader _reader;
    private readonly ZapCapability[] _caps;

    private StoredExpression(MessageBuilder message, ZapCapability[] caps)
    {
        _message = message;
        _reader = message.AsReader();
        _caps = caps;
    }

    public StructReader Root => _reader.GetRoot();

    public static StoredExpression Copy(PointerReader expression, ZapCallContext context)
    {
        var message = new MessageBuilder();
        message.Root.SetFrom(expression);

        // Cap pointers keep their indexes, so the copy keeps the whole parameter cap table alongside.
        var caps = new ZapCapability[context.ParamCapabilityCount];
        for (int i = 0; i < caps.Length; i++)
        {
            caps[i] = context.GetCapability((uint)i);
        }

        return new StoredExpression(message, caps);
    }

    public ZapCapability GetCapability(uint? index) =>
        index is { } i && i < _caps.Length ? _caps[i].Clone() : ZapCapability.Null();

    public void Dispose()
    {
        foreach (var cap in _caps)
        {
            cap.Dispose();
        }

        _message.Dispose();
    }
}
