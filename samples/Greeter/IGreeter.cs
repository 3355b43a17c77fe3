using Hanzo.Zt;

namespace Greeter;

/// <summary>The service: a plain interface; the source generator makes its ZAP client and server.</summary>
[ZtService]
public interface IGreeter
{
    Task<string> GreetAsync(string name, CancellationToken cancellationToken);
}

/// <summary>The implementation the server hosts.</summary>
public sealed class Greeter : IGreeter
{
    public Task<string> GreetAsync(string name, CancellationToken cancellationToken) => Task.FromResult($"hello, {name}");
}
