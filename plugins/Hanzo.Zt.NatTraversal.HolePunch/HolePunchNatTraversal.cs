using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hanzo.Zt.NatTraversal.HolePunch;

/// <summary>
/// NAT traversal by UDP hole punching. Each side learns its public address from the router's reflector, the two
/// exchange candidates over the relayed circuit and probe each other's at once, with retries; probes and replies are
/// authenticated with the connection's path key, and the first reply wins. When a side's NAT maps per destination
/// (symmetric), it opens many sockets towards the peer while the peer tries many guessed ports (birthday-style
/// probing). The proven path then carries a reliable ordered stream with keepalives and dead-path detection.
/// </summary>
public sealed class HolePunchNatTraversal : INatTraversal
{
    private readonly HolePunchOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the traversal with <paramref name="options"/> (defaults when null).</summary>
    public HolePunchNatTraversal(HolePunchOptions? options = null, ILogger<HolePunchNatTraversal>? logger = null)
    {
        _options = options ?? new HolePunchOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        LiteNetLogger.Install(_logger);
    }

    /// <inheritdoc />
    public async ValueTask<INatPath?> ConnectAsync(NatSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(session.Timeout);
        await using var punch = new Punch(session, _options, _logger);
        try
        {
            return await punch.RunAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await punch.GiveUpAsync().ConfigureAwait(false);
            return null;
        }
    }
}
