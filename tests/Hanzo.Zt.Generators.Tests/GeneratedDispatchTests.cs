using Hanzo.Zt.Generators.Tests.Schemas;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>
/// Generated dispatch for each way an implementation's task can end (completed at once, later, thrown before it
/// returns, faulted) and each shape of results (flat values, none, built by the implementation): the caller gets the
/// results or the error, in this process and across tcp:// on loopback.
/// </summary>
public sealed class GeneratedDispatchTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    public enum Completion
    {
        Synchronous,
        Asynchronous,
        ThrowsSynchronously,
        Faulted,
    }

    private sealed class WorkService(Completion completion) : IWork
    {
        public List<int> Recorded { get; } = new();

        public ValueTask<int> TwiceAsync(int value, CancellationToken cancellationToken) => completion switch
        {
            Completion.Synchronous => ValueTask.FromResult(value * 2),
            Completion.Asynchronous => LaterAsync(() => value * 2),
            Completion.ThrowsSynchronously => throw new ZapException(ZapExceptionType.Overloaded, "twice is busy"),
            _ => ValueTask.FromException<int>(new ZapException(ZapExceptionType.Failed, "twice is broken")),
        };

        public ValueTask RecordAsync(int value, CancellationToken cancellationToken)
        {
            switch (completion)
            {
                case Completion.Synchronous:
                    Recorded.Add(value);
                    return ValueTask.CompletedTask;
                case Completion.Asynchronous:
                    return new ValueTask(LaterAsync(() =>
                    {
                        Recorded.Add(value);
                        return 0;
                    }).AsTask());
                case Completion.ThrowsSynchronously:
                    throw new ZapException(ZapExceptionType.Overloaded, "record is busy");
                default:
                    return ValueTask.FromException(new ZapException(ZapExceptionType.Failed, "record is broken"));
            }
        }

        public ValueTask RangeAsync(int count, Work.RangeResults.Builder results, CancellationToken cancellationToken)
        {
            switch (completion)
            {
                case Completion.Synchronous:
                    results.SetValues(Enumerable.Range(0, count).ToArray());
                    return ValueTask.CompletedTask;
                case Completion.Asynchronous:
                    return new ValueTask(LaterAsync(() =>
                    {
                        results.SetValues(Enumerable.Range(0, count).ToArray());
                        return 0;
                    }).AsTask());
                case Completion.ThrowsSynchronously:
                    throw new ZapException(ZapExceptionType.Overloaded, "range is busy");
                default:
                    return ValueTask.FromException(new ZapException(ZapExceptionType.Failed, "range is broken"));
            }
        }

        private static async ValueTask<int> LaterAsync(Func<int> result)
        {
            await Task.Yield();
            return result();
        }
    }

    private static Task<Served<WorkClient>> StartAsync(WorkService service, bool remote) =>
        Served<WorkClient>.StartAsync(new WorkServer(service), capability => new WorkClient(capability), remote);

    private static async Task ShouldFailAsync(Completion completion, Func<Task> call, string method)
    {
        var error = await Should.ThrowAsync<ZapException>(call);
        if (completion == Completion.ThrowsSynchronously)
        {
            error.Type.ShouldBe(ZapExceptionType.Overloaded);
            error.Message.ShouldContain($"{method} is busy");
        }
        else
        {
            error.Type.ShouldBe(ZapExceptionType.Failed);
            error.Message.ShouldContain($"{method} is broken");
        }
    }

    public static TheoryData<Completion, bool> Cases()
    {
        var cases = new TheoryData<Completion, bool>();
        foreach (var completion in Enum.GetValues<Completion>())
        {
            cases.Add(completion, false);
            cases.Add(completion, true);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Flat_results_arrive_or_the_error_does(Completion completion, bool remote)
    {
        await using var served = await StartAsync(new WorkService(completion), remote);
        using var call = served.Client.Twice(21);
        Func<Task<int>> result = () => call.ResultAsync().AsTask().WaitAsync(HangGuard);

        if (completion is Completion.Synchronous or Completion.Asynchronous)
        {
            (await result()).ShouldBe(42);
        }
        else
        {
            await ShouldFailAsync(completion, result, "twice");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_method_without_results_returns_once_done_or_the_error_does(Completion completion, bool remote)
    {
        var service = new WorkService(completion);
        await using var served = await StartAsync(service, remote);
        using var call = served.Client.Record(5);
        Func<Task> result = () => call.ResultAsync().AsTask().WaitAsync(HangGuard);

        if (completion is Completion.Synchronous or Completion.Asynchronous)
        {
            await result();
            service.Recorded.ShouldBe([5]);
        }
        else
        {
            await ShouldFailAsync(completion, result, "record");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Results_the_implementation_builds_arrive_or_the_error_does(Completion completion, bool remote)
    {
        await using var served = await StartAsync(new WorkService(completion), remote);
        using var call = served.Client.Range(4);
        Func<Task<ZapResults<Work.RangeResults.Reader>>> result = () => call.ResultAsync().AsTask().WaitAsync(HangGuard);

        if (completion is Completion.Synchronous or Completion.Asynchronous)
        {
            using var results = await result();
            results.Value.Values.ToArray().ShouldBe([0, 1, 2, 3]);
        }
        else
        {
            await ShouldFailAsync(completion, result, "range");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_call_to_an_interface_or_method_the_server_lacks_fails_as_unimplemented_and_names_it(bool remote)
    {
        await using var served = await StartAsync(new WorkService(Completion.Synchronous), remote);
        var capability = served.Client.Capability;

        using var wrongInterface = capability.NewCall(0x1234_5678_9abc_def0, 0);
        var interfaceError = await Should.ThrowAsync<ZapException>(async () => await wrongInterface.Send().ResponseAsync().AsTask().WaitAsync(HangGuard));
        interfaceError.Type.ShouldBe(ZapExceptionType.Unimplemented);
        interfaceError.Message.ShouldContain("Work does not implement interface 0x123456789abcdef0");

        using var wrongMethod = capability.NewCall(Work.InterfaceId, 77);
        var methodError = await Should.ThrowAsync<ZapException>(async () => await wrongMethod.Send().ResponseAsync().AsTask().WaitAsync(HangGuard));
        methodError.Type.ShouldBe(ZapExceptionType.Unimplemented);
        methodError.Message.ShouldContain("Work has no method 77");

        // The server is still there for calls it has.
        using var call = served.Client.Twice(4);
        (await call.ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe(8);
    }
}
