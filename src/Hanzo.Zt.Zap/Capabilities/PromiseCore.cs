namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// The pending result of a call. Holders take handles; when the last handle goes before the result arrives the
/// call is canceled, and when it goes after, the result's resources are released.
/// </summary>
internal abstract class PromiseCore
{
    private readonly TaskCompletionSource<ResponseCore> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _handles = 1;
    private int _responseReleased;

    /// <summary>Completes with the response (a reference this promise owns) or faults with the call's exception.</summary>
    public Task<ResponseCore> Task => _completion.Task;

    public static PromiseCore Failed(Exception error)
    {
        var promise = new SettledPromise();
        promise.Fail(error);
        return promise;
    }

    public static PromiseCore Completed(ResponseCore response)
    {
        var promise = new SettledPromise();
        promise.Complete(response);
        return promise;
    }

    public PromiseCore AddHandle()
    {
        Interlocked.Increment(ref _handles);
        return this;
    }

    public void ReleaseHandle()
    {
        if (Interlocked.Decrement(ref _handles) != 0)
        {
            return;
        }

        if (Task.IsCompletedSuccessfully)
        {
            ReleaseResponseOnce();
        }

        if (Task.IsCompleted)
        {
            OnReleasedAfterCompletion();
        }
        else
        {
            OnAbandoned();
        }
    }

    /// <summary>How many handles are held now.</summary>
    public int HandleCount => Volatile.Read(ref _handles);

    /// <summary>Called when the last handle goes after the result arrived.</summary>
    protected virtual void OnReleasedAfterCompletion()
    {
    }

    /// <summary>A new reference to the capability the results will hold at <paramref name="path"/>.</summary>
    public abstract CapHook GetPipelinedCap(ushort[] path);

    /// <summary>Called when every handle is gone before the result arrived: the caller lost interest.</summary>
    protected virtual void OnAbandoned()
    {
    }

    protected bool Complete(ResponseCore response)
    {
        if (_completion.TrySetResult(response))
        {
            // Abandoned while completing: nobody will take the result.
            if (Volatile.Read(ref _handles) == 0)
            {
                ReleaseResponseOnce();
            }

            return true;
        }

        response.Release();
        return false;
    }

    protected bool Fail(Exception error) => _completion.TrySetException(error);

    private void ReleaseResponseOnce()
    {
        if (Interlocked.Exchange(ref _responseReleased, 1) == 0)
        {
            Task.Result.Release();
        }
    }

    /// <summary>A promise settled when created.</summary>
    private sealed class SettledPromise : PromiseCore
    {
        public new void Complete(ResponseCore response) => base.Complete(response);

        public new void Fail(Exception error) => base.Fail(error);

        public override CapHook GetPipelinedCap(ushort[] path) =>
            Task.IsCompletedSuccessfully ? Task.Result.GetCapAt(path) : new BrokenHook(Task.Exception!.InnerException!);
    }
}
