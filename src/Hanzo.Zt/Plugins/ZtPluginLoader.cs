using System.Reflection;
using Hanzo.Zt.Billing;
using Hanzo.Zt.Identity;
using Hanzo.Zt.NatTraversal;
using Hanzo.Zt.Transport;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Plugins;

/// <summary>
/// Loads plugin assemblies, one folder per plugin, each into its own load context that shares
/// <c>Hanzo.Zt.Abstractions</c> and <c>Microsoft.Extensions.*</c> with the host, and registers the
/// extension points they implement (found by Scrutor scanning) plus whatever their <see cref="IZtPlugin"/>
/// adds. Every failure is a <see cref="ZtPluginException"/> naming the plugin.
/// </summary>
internal static class ZtPluginLoader
{
    /// <summary>The extension points a plugin's public classes are registered as.</summary>
    internal static readonly Type[] ExtensionPoints =
    [
        typeof(IBillingProvider),
        typeof(INatTraversal),
        typeof(IIdentityProvider),
        typeof(ICredentialSource),
        typeof(IZtTransport),
    ];

    // Types whose identity must be the host's so plugin objects can be used through them.
    private static readonly Type[] SharedTypes =
    [
        typeof(IZtPlugin),
        typeof(IServiceCollection),
        typeof(IServiceProvider),
        typeof(IConfiguration),
        typeof(ILogger),
        typeof(IOptions<>),
        typeof(ServiceCollection),
        .. ExtensionPoints,
    ];

    public static void LoadDirectory(IServiceCollection services, string directory, IConfiguration? configuration, ZtPluginCatalog catalog)
    {
        configuration ??= FindConfiguration(services);
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
            throw new ZtConfigurationException($"plugin directory '{root}' does not exist");

        foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            catalog.Add(LoadPlugin(services, folder, configuration));
    }

    private static ZtPluginInfo LoadPlugin(IServiceCollection services, string folder, IConfiguration? configuration)
    {
        var name = Path.GetFileName(folder);
        var assemblyPath = FindMainAssembly(name, folder);

        Assembly assembly;
        try
        {
            var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, SharedTypes, config => config.PreferSharedTypes = true);
            assembly = loader.LoadDefaultAssembly();
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or IOException)
        {
            throw new ZtPluginException(name, $"'{assemblyPath}' could not be loaded as a .NET assembly: {e.Message}", e);
        }

        var exported = ExportedTypes(name, assembly);
        var registrations = RegisterExtensionPoints(services, name, exported);
        RunPluginEntryPoints(services, configuration, name, exported);
        return new ZtPluginInfo(name, assemblyPath, assembly, registrations);
    }

    private static string FindMainAssembly(string name, string folder)
    {
        var conventional = Path.Combine(folder, name + ".dll");
        if (File.Exists(conventional)) return conventional;

        // A publish folder names its main assembly in its single deps.json.
        var deps = Directory.GetFiles(folder, "*.deps.json");
        if (deps.Length == 1)
        {
            var candidate = Path.Combine(folder, Path.GetFileName(deps[0])[..^".deps.json".Length] + ".dll");
            if (File.Exists(candidate)) return candidate;
        }

        throw new ZtPluginException(name, $"no main assembly: expected '{conventional}' (or a folder with one *.deps.json naming it)");
    }

    private static Type[] ExportedTypes(string name, Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            var first = e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message ?? e.Message;
            throw new ZtPluginException(name, $"types could not be loaded from '{assembly.Location}': {first}", e);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new ZtPluginException(name, $"types could not be loaded from '{assembly.Location}': {e.Message}", e);
        }
    }

    private static List<(Type, Type)> RegisterExtensionPoints(IServiceCollection services, string name, Type[] types)
    {
        // Scrutor finds the implementations and the interfaces they serve; construction is wrapped below
        // so a type that throws is reported as this plugin's fault when it is first resolved.
        var scanned = new ServiceCollection();
        scanned.Scan(scan => scan
            .FromTypes(types)
            .AddClasses(classes => classes.AssignableToAny(ExtensionPoints), publicOnly: true)
            .As(type => type.GetInterfaces().Where(i => ExtensionPoints.Contains(i)))
            .WithSingletonLifetime());

        var registrations = new List<(Type, Type)>();
        foreach (var descriptor in scanned)
        {
            if (descriptor.ImplementationType is not { } implementation || !ExtensionPoints.Contains(descriptor.ServiceType))
                continue;
            if (!services.Any(d => d.ServiceType == implementation))
                services.AddSingleton(implementation, sp => Construct(sp, name, implementation));
            services.AddSingleton(descriptor.ServiceType, sp => sp.GetRequiredService(implementation));
            registrations.Add((descriptor.ServiceType, implementation));
        }
        return registrations;
    }

    private static object Construct(IServiceProvider services, string name, Type implementation)
    {
        try
        {
            return ActivatorUtilities.CreateInstance(services, implementation);
        }
        catch (Exception e) when (e is not ZtPluginException)
        {
            var cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            throw new ZtPluginException(name, $"type '{implementation.FullName}' could not be constructed: {cause.Message}", cause);
        }
    }

    /// <summary>
    /// The host's configuration, when already registered: hosts register it as an instance, or (the
    /// generic host's application builder) as a factory that only returns its configuration object.
    /// </summary>
    private static IConfiguration? FindConfiguration(IServiceCollection services)
    {
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(IConfiguration));
        if (descriptor?.ImplementationInstance is IConfiguration instance) return instance;
        if (descriptor?.ImplementationFactory is not { } factory) return null;
        try
        {
            using var empty = new ServiceCollection().BuildServiceProvider();
            return factory(empty) as IConfiguration;
        }
        catch (InvalidOperationException)
        {
            // A factory that needs real services: the caller can pass the configuration explicitly.
            return null;
        }
    }

    private static void RunPluginEntryPoints(IServiceCollection services, IConfiguration? configuration, string name, Type[] types)
    {
        foreach (var type in types.Where(t => typeof(IZtPlugin).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false }))
        {
            IZtPlugin plugin;
            try
            {
                plugin = (IZtPlugin)Activator.CreateInstance(type)!;
            }
            catch (Exception e)
            {
                var cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                throw new ZtPluginException(name, $"entry point '{type.FullName}' could not be constructed: {cause.Message}", cause);
            }

            try
            {
                plugin.ConfigureServices(services, configuration);
            }
            catch (Exception e)
            {
                throw new ZtPluginException(name, $"entry point '{type.FullName}' failed in ConfigureServices: {e.Message}", e);
            }
        }
    }
}
