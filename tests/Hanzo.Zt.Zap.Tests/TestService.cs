using Hanzo.Zt.Capnp;

namespace Hanzo.Zt.Zap.Tests;

/// <summary>A service exercising the engine: arithmetic, capabilities, callbacks, cancellation, failures, big results.</summary>
internal sealed class TestService : IZapServer
{
    public const ulong Id = 0xa0b1c2d3e4f50617;
    public const ushort Add = 0, NewRecorder = 1, CallBack = 2, Hang = 3, Fail = 4, Echo = 5, Big = 6, Gated = 7, Later = 8, Wait = 9;

    private readonly TaskCompletionSource _hangStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _hangCanceled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Recorder Recorder { get; } = new();

    public Task HangStarted => _hangStarted.Task;

    public Task HangCanceled => _hangCanceled.Task;

    public async ValueTask DispatchAsync(ZapCallContext context)
    {
        switch (context.MethodId)
        {
            case Add:
                context.InitResults(1, 0).WriteInt32(0, context.Params.ReadInt32(0) + context.Params.ReadInt32(1));
                break;
            case NewRecorder:
                ReturnCap(context, ZapCapability.FromServer(Recorder));
                break;
            case CallBack:
                using (var callback = context.GetCapability(context.Params.GetPointer(0).GetCapabilityIndex()))
                {
                    uint value = await Recorder.CallAsync(callback, context.Params.ReadUInt32(0));
                    context.InitResults(1, 0).WriteUInt32(0, value);
                }

                break;
            case Hang:
                _hangStarted.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    _hangCanceled.TrySetResult();
                    throw;
                }

                break;
            case Fail:
                var type = (ZapExceptionType)context.Params.ReadUInt16(0);
                if (context.Params.ReadBool(16))
                {
                    throw new InvalidOperationException(context.Params.ReadText(0));
                }

                throw new ZapException(type, context.Params.ReadText(0));
            case Echo:
                using (var cap = context.GetCapability(context.Params.GetPointer(0).GetCapabilityIndex()))
                {
                    context.InitResults(0, 1).GetPointer(0).SetCapability(context.AddResultCapability(cap));
                }

                break;
            case Big:
                context.InitResults(0, 1).WriteData(0, new byte[context.Params.ReadUInt32(0)]);
                break;
            case Gated:
                await Gate.Task;
                ReturnCap(context, ZapCapability.FromServer(Recorder));
                break;
            case Later:
                // Completes on another thread, so the Return is sent off the connection's read loop.
                await Task.Yield();
                context.InitResults(1, 0).WriteInt32(0, context.Params.ReadInt32(0));
                break;
            case Wait:
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                break;
            default:
                throw new ZapException(ZapExceptionType.Unimplemented, $"no method {context.MethodId}");
        }
    }

    private static void ReturnCap(ZapCallContext context, ZapCapability capability)
    {
        using (capability)
        {
            context.InitResults(0, 1).GetPointer(0).SetCapability(context.AddResultCapability(capability));
        }
    }
}

/// <summary>Records the tags of the calls it receives, in arrival order; counts its own disposal.</summary>
internal sealed class Recorder : IZapServer, IDisposable
{
    public const ulong Id = 0xb1c2d3e4f5061728;
    private readonly List<uint> _tags = new();
    private int _disposed;

    public IReadOnlyList<uint> Tags
    {
        get
        {
            lock (_tags)
            {
                return [.. _tags];
            }
        }
    }

    public bool Disposed => Volatile.Read(ref _disposed) == 1;

    public TaskCompletionSource DisposedSignal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask DispatchAsync(ZapCallContext context)
    {
        uint tag = context.Params.ReadUInt32(0);
        lock (_tags)
        {
            _tags.Add(tag);
        }

        context.InitResults(1, 0).WriteUInt32(0, tag * 10);
        return ValueTask.CompletedTask;
    }

    public static ZapPromise Send(ZapCapability recorder, uint tag)
    {
        using var request = recorder.NewCall(Id, 0);
        request.InitParams(1, 0).WriteUInt32(0, tag);
        return request.Send();
    }

    public static async Task<uint> CallAsync(ZapCapability recorder, uint tag)
    {
        using var response = await Send(recorder, tag);
        return response.Results.ReadUInt32(0);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            DisposedSignal.TrySetResult();
        }
    }
}
