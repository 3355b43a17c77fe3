namespace Hanzo.Zt.IntegrationTests;

/// <summary>The <c>zt</c> processes a test harness started, all killed (and awaited) when it is disposed.</summary>
internal sealed class ChildProcesses
{
    private readonly List<ZtChildProcess> _children = [];

    /// <summary>Tracks <paramref name="child"/> and returns it.</summary>
    public ZtChildProcess Add(ZtChildProcess child)
    {
        lock (_children)
        {
            _children.Add(child);
        }

        return child;
    }

    public async Task DisposeAllAsync()
    {
        ZtChildProcess[] children;
        lock (_children)
        {
            children = [.. _children];
        }

        foreach (var child in children)
        {
            await child.DisposeAsync();
        }
    }
}
