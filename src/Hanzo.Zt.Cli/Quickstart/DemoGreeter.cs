namespace Hanzo.Zt.Cli.Quickstart;

/// <summary>The quickstart's demo service, served on <c>zt://demo</c>; its ZAP client and server are generated.</summary>
[ZtService]
internal interface IDemoGreeter
{
    /// <summary>A greeting for <paramref name="name"/>, naming the host that answered.</summary>
    Task<string> GreetAsync(string name, CancellationToken cancellationToken);

    /// <summary>The bytes back, reversed (a payload large enough to show up in metered usage).</summary>
    Task<byte[]> ReverseAsync(byte[] data, CancellationToken cancellationToken);
}

/// <summary>The host side of <see cref="IDemoGreeter"/>.</summary>
internal sealed class DemoGreeter : IDemoGreeter
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task<string> GreetAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult($"hello {name}, from demo-host over zt://demo");
    }

    public Task<byte[]> ReverseAsync(byte[] data, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var reversed = data.ToArray();
        Array.Reverse(reversed);
        return Task.FromResult(reversed);
    }
}
