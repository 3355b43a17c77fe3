using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace Hanzo.Zt.Zap.Capabilities;

/// <summary>
/// The pending result of a call. Holders take handles; when the last handle goes before the result arrives the
/// call is canceled, and when it goes after, the result's resources are released.
/// </summary>
/// <remarks>
/// The caller's <see cref="ZapPromise"/> and then its <see cref="ZapResponse"/> are views that name one
/// incarnation (<see cref="Generation"/>) of this object: a pooled promise (a <see cref="RemoteQuestion"/>) is
/// reused once nothing holds it, and a view of an earlier incarnation then fails instead of reading another call's
/// results. One awaiter is served without allocating (<see cref="IValueTaskSource{TResult}"/>); other consumers
/// ask for <see cref="Task"/>, made on first use.
/// </remarks>
internal abstract class PromiseCore : IValueTaskSource<ZapResponse>
{
    private const int Pending = 0;
    private const int Settling = 1;
    private const int Settled = 2;

    private ManualResetValueTaskSourceCore<bool> _waiter = new() { RunContinuationsAsynchronously = true };
    private TaskCompletionSource<ResponseCore>? _task;
    private ResponseCore? _response;
    private Exception? _error;
    private int _state;
    private int _handles = 1;
    private int _responseReleased;
    private int _generation = 1;
    private int _promiseHold = 1;
    private int _responseHold;
    private int _awaiting;
    private int _busy;
    private Action<object?>? _resume;
    private object? _resumeState;

    /// <summary>Which incarnation of this object the caller's views name.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>True once the result (or error) is in.</summary>
    public bool IsCompleted => Volatile.Read(ref _state) == Settled;

    /// <summary>True once the result is in and it is a response.</summary>
    public bool IsCompletedSuccessfully => IsCompleted && _response is not null;

    /// <summary>The response (owned by this promise) once completed successfully.</summary>
    public ResponseCore? Response => IsCompleted ? _response : null;

    /// <summary>The error once completed with one.</summary>
    public Exception? Error => IsCompleted ? _error : null;

    /// <summary>True when a <see cref="Task"/> was made for this incarnation (its consumers may still look at it).</summary>
    protected bool TaskRequested => Volatile.Read(ref _task) is not null;

    /// <summary>Completes with the response (a reference this promise owns) or faults with the call's exception. Made on first use.</summary>
    public Task<ResponseCore> Task
    {
        get
        {
            lock (this)
            {
                if (_task is null)
                {
                    _task = new TaskCompletionSource<ResponseCore>(TaskCreationOptions.RunContinuationsAsynchronously);
                    if (IsCompleted)
                    {
                        SetTask(_task);
                    }
                }

                return _task.Task;
            }
        }
    }

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
        // Busy from before the count can reach zero until the last handle's work is done: no one reuses this
        // object in between (see IsIdle).
        Interlocked.Increment(ref _busy);
        try
        {
            if (Interlocked.Decrement(ref _handles) != 0)
            {
                return;
            }

            if (IsCompletedSuccessfully)
            {
                ReleaseResponseOnce();
            }

            if (IsCompleted)
            {
                OnReleasedAfterCompletion();
            }
            else
            {
                OnAbandoned();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _busy);
        }

        OnMaybeIdle();
    }

    /// <summary>How many handles are held now.</summary>
    public int HandleCount => Volatile.Read(ref _handles);

    /// <summary>True while nobody holds or awaits this incarnation (a pooled promise may then be reused).</summary>
    /// <remarks>Reads the handle count before the busy count: whoever took the count to zero was busy first.</remarks>
    protected bool IsIdle =>
        IsCompleted && HandleCount == 0 && Volatile.Read(ref _busy) == 0 && Volatile.Read(ref _awaiting) == 0 && !TaskRequested;

    /// <summary>Called when the last handle goes after the result arrived.</summary>
    protected virtual void OnReleasedAfterCompletion()
    {
    }

    /// <summary>Called when every handle is gone before the result arrived: the caller lost interest.</summary>
    protected virtual void OnAbandoned()
    {
    }

    /// <summary>Called when a handle or the awaiter goes: a pooled promise checks <see cref="IsIdle"/>.</summary>
    protected virtual void OnMaybeIdle()
    {
    }

    /// <summary>A new reference to the capability the results will hold at <paramref name="path"/>.</summary>
    public abstract CapHook GetPipelinedCap(ushort[] path);

    protected bool Complete(ResponseCore response)
    {
        if (Interlocked.CompareExchange(ref _state, Settling, Pending) != Pending)
        {
            response.Release();
            return false;
        }

        Interlocked.Increment(ref _busy);
        try
        {
            _response = response;
            FinishSettling();

            // Abandoned while completing: nobody will take the result.
            if (Volatile.Read(ref _handles) == 0)
            {
                ReleaseResponseOnce();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _busy);
        }

        OnMaybeIdle();
        return true;
    }

    protected bool Fail(Exception error)
    {
        if (Interlocked.CompareExchange(ref _state, Settling, Pending) != Pending)
        {
            return false;
        }

        Interlocked.Increment(ref _busy);
        try
        {
            _error = error;
            FinishSettling();
        }
        finally
        {
            Interlocked.Decrement(ref _busy);
        }

        OnMaybeIdle();
        return true;
    }

    private void FinishSettling()
    {
        TaskCompletionSource<ResponseCore>? task;
        lock (this)
        {
            Volatile.Write(ref _state, Settled);
            task = _task;
        }

        if (task is not null)
        {
            SetTask(task);
        }

        _waiter.SetResult(true);
    }

    private void SetTask(TaskCompletionSource<ResponseCore> task)
    {
        if (_response is { } response)
        {
            task.TrySetResult(response);
        }
        else
        {
            task.TrySetException(_error!);
        }
    }

    private void ReleaseResponseOnce()
    {
        if (Interlocked.Exchange(ref _responseReleased, 1) == 0)
        {
            _response?.Release();
        }
    }

    /// <summary>Makes this object a new, pending incarnation: views of the previous one fail from now on.</summary>
    protected void ResetCore()
    {
        int generation = _generation + 1;
        if (generation <= 0)
        {
            generation = 1;
        }

        _waiter.Reset();
        _waiter.RunContinuationsAsynchronously = true;
        _resume = null;
        _resumeState = null;
        _task = null;
        _response = null;
        _error = null;
        _handles = 1;
        _responseReleased = 0;
        _responseHold = 0;
        _awaiting = 0;
        _promiseHold = generation;
        _state = Pending;
        Volatile.Write(ref _generation, generation);
    }

    // ---- the caller's views: ZapPromise (the first handle) and then ZapResponse (the same handle) ----

    /// <summary>True while the <see cref="ZapPromise"/> of <paramref name="generation"/> still holds its handle.</summary>
    public bool PromiseHeld(int generation) => Volatile.Read(ref _promiseHold) == generation;

    /// <summary>The promise view of <paramref name="generation"/> lets go (once; later calls do nothing).</summary>
    public void ReleasePromise(int generation)
    {
        // The plain read first: after an await (the common case, a `using` around an awaited promise) the hold is
        // already gone, and the interlocked exchange would cost more than the rest of the dispose.
        if (Volatile.Read(ref _promiseHold) == generation && Interlocked.CompareExchange(ref _promiseHold, 0, generation) == generation)
        {
            ReleaseHandle();
        }
    }

    /// <summary>Starts the one await of the promise view of <paramref name="generation"/>.</summary>
    /// <exception cref="InvalidOperationException">The promise was already awaited or disposed.</exception>
    public short BeginAwait(int generation)
    {
        if (PromiseHeld(generation) && Interlocked.CompareExchange(ref _awaiting, 1, 0) == 0)
        {
            short token = _waiter.Version;
            if (PromiseHeld(generation))
            {
                return token;
            }

            EndAwait();
        }

        throw AlreadyConsumed();
    }

    private void EndAwait()
    {
        Volatile.Write(ref _awaiting, 0);
        OnMaybeIdle();
    }

    /// <summary>Moves the promise view's handle to a response view (after an await that did not go through <see cref="BeginAwait"/>).</summary>
    public ZapResponse TakeResponse(int generation)
    {
        if (IsCompletedSuccessfully && Interlocked.CompareExchange(ref _promiseHold, 0, generation) == generation)
        {
            Volatile.Write(ref _responseHold, generation);
            return new ZapResponse(this, generation);
        }

        throw AlreadyConsumed();
    }

    /// <summary>The response the view of <paramref name="generation"/> reads.</summary>
    /// <exception cref="ObjectDisposedException">The response was disposed.</exception>
    public ResponseCore ResponseFor(int generation)
    {
        var response = _response;
        if (Volatile.Read(ref _responseHold) != generation || response is null)
        {
            throw new ObjectDisposedException(nameof(ZapResponse), "the response was disposed; its results are no longer readable");
        }

        return response;
    }

    /// <summary>The response view of <paramref name="generation"/> lets go (once; later calls do nothing).</summary>
    public void ReleaseResponse(int generation)
    {
        if (generation != 0 && Interlocked.CompareExchange(ref _responseHold, 0, generation) == generation)
        {
            ReleaseHandle();
        }
    }

    private static InvalidOperationException AlreadyConsumed() =>
        new("the promise was already awaited or disposed: a ZapPromise gives its results once");

    ValueTaskSourceStatus IValueTaskSource<ZapResponse>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<ZapResponse>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        if (IsCompleted || !MayChooseThread(flags))
        {
            _waiter.OnCompleted(continuation, state, token, flags);
            return;
        }

        // This promise decides where the awaiter resumes (Resume): the waiter calls it inline when the answer is in.
        _resume = continuation;
        _resumeState = state;
        _waiter.RunContinuationsAsynchronously = false;
        _waiter.OnCompleted(s_resume, this, token, ValueTaskSourceOnCompletedFlags.None);
    }

    /// <summary>
    /// True when the awaiter may resume on any thread: it asked for no execution context to flow (an async method's
    /// await restores its own) and has no synchronization context or task scheduler to resume on.
    /// </summary>
    private static bool MayChooseThread(ValueTaskSourceOnCompletedFlags flags) =>
        (flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) == 0
        && ((flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) == 0
            || ((SynchronizationContext.Current is not { } context || context.GetType() == typeof(SynchronizationContext))
                && TaskScheduler.Current == TaskScheduler.Default));

    private static readonly Action<object?> s_resume = static promise => ((PromiseCore)promise!).Resume();

    /// <summary>
    /// Resumes the awaiter: on the receiving thread that read the answer, after that read (no hand-off to another
    /// thread), or through the thread pool (see <see cref="Transports.DirectReceiveStream.Resume"/>).
    /// </summary>
    private void Resume()
    {
        var continuation = _resume!;
        var state = _resumeState;
        _resume = null;
        _resumeState = null;
        Transports.DirectReceiveStream.Resume(continuation, state);
    }

    ZapResponse IValueTaskSource<ZapResponse>.GetResult(short token)
    {
        _waiter.GetResult(token);
        int generation = _generation;
        var error = _error;
        try
        {
            if (error is null)
            {
                return TakeResponse(generation);
            }

            ReleasePromise(generation);
        }
        finally
        {
            EndAwait();
        }

        ExceptionDispatchInfo.Throw(error);
        return default;
    }

    /// <summary>A promise settled when created.</summary>
    private sealed class SettledPromise : PromiseCore
    {
        public new void Complete(ResponseCore response) => base.Complete(response);

        public new void Fail(Exception error) => base.Fail(error);

        public override CapHook GetPipelinedCap(ushort[] path) =>
            Response is { } response ? response.GetCapAt(path) : new BrokenHook(Error!);
    }
}
