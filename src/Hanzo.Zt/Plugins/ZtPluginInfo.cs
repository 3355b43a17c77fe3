using System.Reflection;

namespace Hanzo.Zt.Plugins;

/// <summary>A plugin that was loaded, and what it contributed.</summary>
/// <param name="Name">The plugin's name (its folder name).</param>
/// <param name="AssemblyPath">The plugin's main assembly.</param>
/// <param name="Assembly">The loaded assembly, in its own load context.</param>
/// <param name="Registrations">The extension points it implements, as <c>service ← implementation</c> pairs.</param>
public sealed record ZtPluginInfo(
    string Name,
    string AssemblyPath,
    Assembly Assembly,
    IReadOnlyList<(Type Service, Type Implementation)> Registrations);

/// <summary>The plugins loaded by <c>AddPlugins</c>; resolve it from the container to inspect them.</summary>
public sealed class ZtPluginCatalog
{
    private readonly List<ZtPluginInfo> _plugins = [];

    /// <summary>The loaded plugins, in load order.</summary>
    public IReadOnlyList<ZtPluginInfo> Plugins => _plugins;

    internal void Add(ZtPluginInfo plugin) => _plugins.Add(plugin);
}
