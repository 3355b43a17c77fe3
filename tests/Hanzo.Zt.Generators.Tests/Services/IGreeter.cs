namespace Hanzo.Zt.Generators.Tests.Services;

/// <summary>A code-first service covering every supported parameter and result shape.</summary>
[ZtService]
public interface IGreeter
{
    Task<string> GreetAsync(string name, int times, CancellationToken cancellationToken);

    ValueTask<Person> OlderAsync(Person person, int years);

    Task<List<Person>> TeamAsync(string[] names, CancellationToken cancellationToken);

    Task<byte[]> ReverseAsync(byte[] data);

    Task PingAsync(CancellationToken cancellationToken);

    [ZtMethod(5)]
    ValueTask<long> SumAsync(IReadOnlyList<long> values, bool negate);
}

/// <summary>A record carried by value.</summary>
public sealed record Person(string Name, int Age, List<string> Tags);
