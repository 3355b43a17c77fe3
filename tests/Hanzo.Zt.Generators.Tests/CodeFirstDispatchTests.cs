using Hanzo.Zt.Generators.Tests.Services;
using Hanzo.Zt.Zap;
using Completion = Hanzo.Zt.Generators.Tests.GeneratedDispatchTests.Completion;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>
/// The generated dispatcher of a [ZtService] interface for each task it returns (ValueTask, Task, with and without
/// a value) and each way it ends: the caller gets the results or the error, in this process and across tcp://.
/// </summary>
public sealed class CodeFirstDispatchTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private sealed class Tally(Completion completion) : ITally
    {
        public List<int> Recorded { get; } = new();

        public ValueTask<int> TwiceAsync(int value, CancellationToken cancellationToken) =>
            new(Complete("twice", () => value * 2));

        public Task<string> NameAsync(int value) => Complete("name", () => $"tally {value}");

        public ValueTask RecordAsync(int value) => new(Complete("record", () =>
        {
            Recorded.Add(value);
            return 0;
        }));

        public Task ResetAsync() => Complete("reset", () =>
        {
            Recorded.Clear();
            return 0;
        });

        private Task<T> Complete<T>(string method, Func<T> result) => completion switch
        {
            Completion.Synchronous => Task.FromResult(result()),
            Completion.Asynchronous => LaterAsync(result),
            Completion.ThrowsSynchronously => throw new ZapException(ZapExceptionType.Overloaded, $"{method} is busy"),
            _ => Task.FromException<T>(new ZapException(ZapExceptionType.Failed, $"{method} is broken")),
        };

        private static async Task<T> LaterAsync<T>(Func<T> result)
        {
            await Task.Yield();
            return result();
        }
    }

    private static async Task ShouldEndAsync(Completion completion, Func<Task> call, string method)
    {
        if (completion is Completion.Synchronous or Completion.Asynchronous)
        {
            await call().WaitAsync(HangGuard);
            return;
        }

        var error = await Should.ThrowAsync<ZapException>(() => call().WaitAsync(HangGuard));
        error.Type.ShouldBe(completion == Completion.ThrowsSynchronously ? ZapExceptionType.Overloaded : ZapExceptionType.Failed);
        error.Message.ShouldContain(completion == Completion.ThrowsSynchronously ? $"{method} is busy" : $"{method} is broken");
    }

    [Theory]
    [MemberData(nameof(GeneratedDispatchTests.Cases), MemberType = typeof(GeneratedDispatchTests))]
    public async Task Every_kind_of_task_gives_its_results_or_its_error(Completion completion, bool remote)
    {
        var tally = new Tally(completion);
        await using var served = await Served<TallyClient>.StartAsync(new TallyServer(tally), capability => new TallyClient(capability), remote);
        ITally client = served.Client;
        int twice = 0;
        string name = string.Empty;

        await ShouldEndAsync(completion, async () => twice = await client.TwiceAsync(21, CancellationToken.None), "twice");
        await ShouldEndAsync(completion, async () => name = await client.NameAsync(3), "name");
        await ShouldEndAsync(completion, () => client.RecordAsync(5).AsTask(), "record");

        if (completion is Completion.Synchronous or Completion.Asynchronous)
        {
            twice.ShouldBe(42);
            name.ShouldBe("tally 3");
            tally.Recorded.ShouldBe([5]);
        }

        await ShouldEndAsync(completion, () => client.ResetAsync(), "reset");
        if (completion is Completion.Synchronous or Completion.Asynchronous)
        {
            tally.Recorded.ShouldBeEmpty();
        }
    }
}
