using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>The commands' logs: one line per entry, all on standard error, so standard output stays the command's own.</summary>
internal static class StandardErrorLog
{
    /// <summary>A logger factory writing warnings and errors (and whatever <paramref name="configure"/> adds) to standard error.</summary>
    public static ILoggerFactory Create(Action<ILoggingBuilder>? configure = null) =>
        LoggerFactory.Create(b =>
        {
            b.AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(b);
        });
}
