using System.Collections.Concurrent;

namespace Hanzo.Zt.Zap;

/// <summary>
/// Client and server factories of <c>[ZtService]</c> interfaces, filled in by generated module initializers so
/// dependency injection resolves typed clients and servers without reflection.
/// </summary>
public static class ZapServiceRegistry
{
    private static readonly ConcurrentDictionary<Type, Entry> Entries = new();

    /// <summary>Registers the generated factories of <typeparamref name="T"/> and its .capnp text.</summary>
    public static void Register<T>(Func<ZapCapability, T> client, Func<T, IZapServer> server, string capnpText)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(server);
        Entries[typeof(T)] = new Entry(typeof(T), client, implementation => server((T)implementation), capnpText);
    }

    /// <summary>Whether <typeparamref name="T"/> has generated factories (it is a [ZtService] interface of a loaded assembly).</summary>
    public static bool IsRegistered<T>() => Entries.ContainsKey(typeof(T));

    /// <summary>A typed client over <paramref name="capability"/>, which it takes over.</summary>
    /// <exception cref="ZtConfigurationException"><typeparamref name="T"/> is not a [ZtService] interface.</exception>
    public static T CreateClient<T>(ZapCapability capability)
        where T : class => (T)Find(typeof(T)).Client(capability);

    /// <summary>The server dispatching calls to <paramref name="implementation"/>.</summary>
    /// <exception cref="ZtConfigurationException"><typeparamref name="T"/> is not a [ZtService] interface.</exception>
    public static IZapServer CreateServer<T>(T implementation)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(implementation);
        return Find(typeof(T)).Server(implementation);
    }

    /// <summary>Every registered interface with its .capnp text.</summary>
    public static IReadOnlyList<(Type Service, string CapnpText)> Schemas =>
        Entries.Values.OrderBy(e => e.Service.FullName, StringComparer.Ordinal).Select(e => (e.Service, e.CapnpText)).ToList();

    private static Entry Find(Type type) =>
        Entries.TryGetValue(type, out var entry)
            ? entry
            : throw new ZtConfigurationException($"{type.FullName} has no generated ZAP client or server: mark it [ZtService] and reference Hanzo.Zt.Generators as an analyzer");

    private sealed record Entry(Type Service, Func<ZapCapability, object> Client, Func<object, IZapServer> Server, string CapnpText);
}
