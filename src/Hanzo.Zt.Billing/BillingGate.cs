using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Billing;

/// <summary>
/// The balance gate consulted before every dial. Answers are cached per account for
/// <see cref="ZtBillingOptions.BalanceCacheDuration"/> (refusals too, so an empty account cannot hammer
/// the provider). When the provider cannot be reached the gate fails closed unless
/// <see cref="ZtBillingOptions.FailOpen"/> is set.
/// </summary>
public sealed partial class BillingGate
{
    private readonly IBillingProvider _provider;
    private readonly ZtBillingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, (BalanceResult Balance, long ExpiresAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates a gate over <paramref name="provider"/> with the billing options of <paramref name="options"/>.</summary>
    public BillingGate(IBillingProvider provider, IOptions<ZtBillingOptions> options, TimeProvider? time = null, ILogger<BillingGate>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        _provider = provider;
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Returns when <paramref name="account"/> may dial: billing is off, or its available balance is positive
    /// (or unknown while fail-open is configured).
    /// </summary>
    /// <exception cref="ZtInsufficientBalanceException">The provider reports no positive available balance.</exception>
    /// <exception cref="ZtBillingException">The provider is unreachable or failed, and billing fails closed.</exception>
    public async ValueTask EnsureAllowedAsync(string account, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        if (!_options.Enabled) return;

        var balance = await GetBalanceAsync(account, cancellationToken).ConfigureAwait(false);
        if (balance is null) return; // unknown, and fail-open
        if (!balance.IsAllowed)
            throw new ZtInsufficientBalanceException(account, balance.Available, balance.Currency);
    }

    /// <summary>How long an answer (a refusal too) is reused before the provider is asked again.</summary>
    public TimeSpan CacheDuration => _options.BalanceCacheDuration;

    /// <summary>Forgets cached answers: for one account, or all when <paramref name="account"/> is null.</summary>
    public void Invalidate(string? account = null)
    {
        if (account is null) _cache.Clear();
        else _cache.TryRemove(account, out _);
    }

    private async ValueTask<BalanceResult?> GetBalanceAsync(string account, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_cache.TryGetValue(account, out var cached) && now < cached.ExpiresAt)
            return cached.Balance;

        BalanceResult balance;
        try
        {
            balance = await _provider.GetBalanceAsync(account, _options.Currency, cancellationToken).ConfigureAwait(false);
        }
        catch (ZtInsufficientBalanceException)
        {
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (_options.FailOpen)
            {
                LogFailOpen(_logger, account, e.Message);
                return null;
            }
            throw new ZtBillingException(
                $"billing provider unreachable or failing while checking the balance of '{account}': {e.Message}; dials fail closed until it answers (set HanzoZt:Billing:FailOpen to allow them)",
                (e as ZtBillingException)?.StatusCode,
                (e as ZtBillingException)?.ProblemTitle,
                (e as ZtBillingException)?.ProblemDetail,
                e);
        }

        var ticks = (long)(_options.BalanceCacheDuration.TotalSeconds * _time.TimestampFrequency);
        if (ticks > 0) _cache[account] = (balance, now + ticks);
        return balance;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Billing provider unreachable checking '{Account}' ({Reason}); allowing the dial because billing fails open")]
    private static partial void LogFailOpen(ILogger logger, string account, string reason);
}
