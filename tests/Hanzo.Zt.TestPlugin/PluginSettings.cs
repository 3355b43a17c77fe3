namespace Hanzo.Zt.TestPlugin;

/// <summary>Registered by the plugin's entry point, consumed by its billing provider.</summary>
public sealed class PluginSettings
{
    public long BalanceCents { get; init; }
}
