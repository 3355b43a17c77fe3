using LiteNetLib;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.NatTraversal.HolePunch;

/// <summary>
/// LiteNetLib's messages, sent to an <see cref="ILogger"/>. Without a logger of its own, LiteNetLib writes its
/// warnings and errors (a stray datagram on a punched port, for one) to standard output, where a process such as
/// <c>zt dial</c> carries the user's data: they would be mixed into it.
/// </summary>
internal sealed partial class LiteNetLogger(ILogger logger) : INetLogger
{
    /// <summary>Installs a logger for LiteNetLib, process-wide (LiteNetLib has one); the first installed stays.</summary>
    public static void Install(ILogger logger)
    {
        if (NetDebug.Logger is not LiteNetLogger)
        {
            NetDebug.Logger = new LiteNetLogger(logger);
        }
    }

    public void WriteNet(NetLogLevel level, string str, params object[] args)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogMessage(logger, level, args.Length == 0 ? str : string.Format(System.Globalization.CultureInfo.InvariantCulture, str, args));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "LiteNetLib {Level}: {Message}")]
    private static partial void LogMessage(ILogger logger, NetLogLevel level, string message);
}
