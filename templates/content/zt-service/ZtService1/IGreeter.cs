namespace ZtService1;

/// <summary>The service's contract. Callers in any language reach it as Cap'n Proto RPC over ZT.</summary>
[Hanzo.Zt.ZtService]
public interface IGreeter
{
    /// <summary>A greeting for <paramref name="name"/>.</summary>
    Task<string> GreetAsync(string name, CancellationToken cancellationToken);
}
