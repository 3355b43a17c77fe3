namespace Hanzo.Zt.Generators.Tests.Services;

/// <summary>A code-first service returning each kind of task, for the dispatch of each.</summary>
[ZtService]
public interface ITally
{
    ValueTask<int> TwiceAsync(int value, CancellationToken cancellationToken);

    Task<string> NameAsync(int value);

    ValueTask RecordAsync(int value);

    Task ResetAsync();
}
