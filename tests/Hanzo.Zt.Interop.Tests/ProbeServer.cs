using Calculator;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Interop.Tests;

/// <summary>Ids of Peer/probe.capnp, as the reference compiler assigns them.</summary>
internal static class ProbeSchema
{
    public const ulong ProbeId = 0xcedebd174b39977f;
    public const ushort Fail = 0, Hang = 1, Crash = 2, GetCalculator = 3, EchoCapability = 4, ReadBack = 5;
}

/// <summary>The Probe served by ZAP, for the C++ probe client.</summary>
internal sealed class ProbeServer : IZapServer
{
    private readonly TaskCompletionSource _hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a caller is inside hang().</summary>
    public Task Hanging => _hanging.Task;

    public async ValueTask DispatchAsync(ZapCallContext context)
    {
        switch (context.MethodId)
        {
            case ProbeSchema.Fail:
                var type = (ZapExceptionType)context.Params.ReadUInt16(0);
                throw new ZapException(type, context.Params.ReadText(0));
            case ProbeSchema.Hang:
                _hanging.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                break;
            case ProbeSchema.GetCalculator:
                using (var calculator = ZapCapability.FromServer(new CalculatorServer(new CalculatorService())))
                {
                    context.InitResults(0, 1).GetPointer(0).SetCapability(context.AddResultCapability(calculator));
                }

                break;
            case ProbeSchema.EchoCapability:
                using (var value = context.GetCapability(context.Params.GetPointer(0).GetCapabilityIndex()))
                {
                    context.InitResults(0, 1).GetPointer(0).SetCapability(context.AddResultCapability(value));
                }

                break;
            case ProbeSchema.ReadBack:
                using (var value = context.GetCapability(context.Params.GetPointer(0).GetCapabilityIndex()))
                {
                    double read = await Evaluator.ReadValueAsync(value, context.CancellationToken);
                    context.InitResults(1, 0).WriteFloat64(0, read);
                }

                break;
            default:
                throw new ZapException(ZapExceptionType.Unimplemented, $"Probe has no method {context.MethodId}");
        }
    }
}
