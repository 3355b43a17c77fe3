using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Hanzo.Zt.Zap;

/// <summary>
/// Client and server factories of generated ZAP types (<c>[ZtService]</c> interfaces and schema interfaces),
/// filled in by generated module initializers so dependency injection resolves typed clients and servers
/// without reflection.
/// </summary>
public static class ZapServiceRegistry
{
    private static readonly ConcurrentDictionary<Type, Func<ZapCapability, object>> Clients = new();
    private static readonly ConcurrentDictionary<Type, Func<object, IZapServer>> Servers = new();
    private static readonly ConcurrentDictionary<Type, string> Texts = new();

    /// <summary>Registers the generated factories of a [ZtService] interface <typeparamref name="T"/> and its .capnp text.</summary>
    public static void Register<T>(Func<ZapCapability, T> client, Func<T, IZapServer> server, string capnpText)
        where T : class
    {
        RegisterClient(client);
        RegisterServer(server);
        ArgumentNullException.ThrowIfNull(capnpText);
        Texts[typeof(T)] = capnpText;
    }

    /// <summary>Registers how to make a <typeparamref name="T"/> client over a capability.</summary>
    public static void RegisterClient<T>(Func<ZapCapability, T> client)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(client);
        Clients[typeof(T)] = client;
    }

    /// <summary>Registers how to serve an implementation of <typeparamref name="T"/>.</summary>
    public static void RegisterServer<T>(Func<T, IZapServer> server)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(server);
        Servers[typeof(T)] = implementation => server((T)implementation);
    }

    /// <summary>Whether <typeparamref name="T"/> has a generated client or server.</summary>
    public static bool IsRegistered<T>()
    {
        RuntimeHelpers.RunModuleConstructor(typeof(T).Module.ModuleHandle);
        return Clients.ContainsKey(typeof(T)) || Servers.ContainsKey(typeof(T));
    }

    /// <summary>A typed client over <paramref name="capability"/>, which it takes over.</summary>
    /// <exception cref="ZtConfigurationException"><typeparamref name="T"/> has no generated client.</exception>
    public static T CreateClient<T>(ZapCapability capability)
        where T : class => (T)Find(Clients, typeof(T), "client")(capability);

    /// <summary>The server dispatching calls to <paramref name="implementation"/>.</summary>
    /// <exception cref="ZtConfigurationException"><typeparamref name="T"/> has no generated server.</exception>
    public static IZapServer CreateServer<T>(T implementation)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(implementation);
        return Find(Servers, typeof(T), "server")(implementation);
    }

    /// <summary>Every registered [ZtService] interface with its .capnp text.</summary>
    public static IReadOnlyList<(Type Service, string CapnpText)> Schemas =>
        Texts.OrderBy(e => e.Key.FullName, StringComparer.Ordinal).Select(e => (e.Key, e.Value)).ToList();

    private static TValue Find<TValue>(ConcurrentDictionary<Type, TValue> entries, Type type, string what)
    {
        if (entries.TryGetValue(type, out var entry))
        {
            return entry;
        }

        // The generated registration is a module initializer of the type's assembly, which may not have run yet.
        RuntimeHelpers.RunModuleConstructor(type.Module.ModuleHandle);
        return entries.TryGetValue(type, out entry)
            ? entry
            : throw new ZtConfigurationException($"{type.FullName} has no generated ZAP {what}: mark it [ZtService] (or generate it from a .capnp file) and reference Hanzo.Zt.Generators as an analyzer");
    }
}
