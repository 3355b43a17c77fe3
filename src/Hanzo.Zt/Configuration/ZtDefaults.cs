namespace Hanzo.Zt.Configuration;

/// <summary>Default values shared by <see cref="ZtOptions"/> and <see cref="ZtConfig"/>.</summary>
public static class ZtDefaults
{
    /// <summary>Default time allowed to open a connection: 30 seconds.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Default time allowed for a controller request: 15 seconds.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);
}
