namespace Hanzo.Zt.Cli.Admin;

/// <summary>
/// Where <c>zt</c> keeps per-user state: the login under the user's config folder (<c>$XDG_CONFIG_HOME</c>, else
/// <c>$HOME/.config</c>) and the quickstart network under the user's data folder (<c>$XDG_DATA_HOME</c>, else
/// <c>$HOME/.local/share</c>), each in <c>hanzo/zt</c>.
/// </summary>
internal static class CliPaths
{
    /// <summary>The folder of <c>zt</c>'s configuration, e.g. <c>~/.config/hanzo/zt</c>.</summary>
    public static string ConfigDirectory => Path.Combine(Base("XDG_CONFIG_HOME", ".config", Environment.SpecialFolder.ApplicationData), "hanzo", "zt");

    /// <summary>The folder of <c>zt</c>'s data, e.g. <c>~/.local/share/hanzo/zt</c>.</summary>
    public static string DataDirectory => Path.Combine(Base("XDG_DATA_HOME", Path.Combine(".local", "share"), Environment.SpecialFolder.LocalApplicationData), "hanzo", "zt");

    /// <summary>The stored login (controller, its CA, the API session token).</summary>
    public static string LoginFile => Path.Combine(ConfigDirectory, "login.json");

    private static string Base(string variable, string underHome, Environment.SpecialFolder fallback)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } explicitPath && Path.IsPathRooted(explicitPath))
        {
            return explicitPath;
        }

        if (Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home)
        {
            return Path.Combine(home, underHome);
        }

        return Environment.GetFolderPath(fallback, Environment.SpecialFolderOption.Create);
    }
}
