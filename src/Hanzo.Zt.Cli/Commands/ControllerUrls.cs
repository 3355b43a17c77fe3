using System.CommandLine;
using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>The <c>--controller URL[,URL...]</c> option the verbs share: the controllers of a cluster, tried in order.</summary>
internal static class ControllerUrls
{
    public static Option<string?> CreateOption(string fallback) => new("--controller")
    {
        Description = $"The controller's URL, or several of a cluster separated by commas (tried in order; the next is used when one fails). Default: {fallback}.",
    };

    /// <summary>The URLs in <paramref name="text"/>; empty when it is null or blank.</summary>
    /// <exception cref="ZtConfigurationException">One of them is not an https URL.</exception>
    public static IReadOnlyList<Uri> Parse(string? text)
    {
        var urls = new List<Uri>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
            {
                throw new ZtConfigurationException($"the controller '{part}' is not an https URL such as https://127.0.0.1:1280");
            }

            urls.Add(url);
        }

        return urls;
    }

    /// <summary>
    /// Context options that use the controllers in <paramref name="text"/>, else the identity file's; connections
    /// punch direct paths beside the relay unless <c>HANZO_ZT_DIRECT_PATHS=0</c>.
    /// </summary>
    public static ZtContextOptions ContextOptions(string? text, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null)
    {
        var options = new ZtContextOptions
        {
            LoggerFactory = loggers,
            NatTraversal = Environment.GetEnvironmentVariable("HANZO_ZT_DIRECT_PATHS") is "0" or "false" or "off"
                ? null
                : new Hanzo.Zt.NatTraversal.HolePunch.HolePunchNatTraversal(),
        };
        foreach (var url in Parse(text))
        {
            options.ControllerUrls.Add(url);
        }

        return options;
    }
}
