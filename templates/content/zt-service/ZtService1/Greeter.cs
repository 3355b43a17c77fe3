namespace ZtService1;

/// <summary>The implementation the host serves.</summary>
public sealed class Greeter : IGreeter
{
    public Task<string> GreetAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult($"Hello, {name}!");
}
