using System.Collections.Concurrent;
using Hanzo.Zt.Controller.Api;
using Hanzo.Zt.Controller.Hosting;

namespace Hanzo.Zt.Controller.Auth;

/// <summary>
/// Limits password guessing: failed logins are counted per username and per source address over a fixed window;
/// past the limit every attempt is answered 429 with <c>Retry-After</c> before any password hash is computed, so
/// guessing costs the attacker time and the controller nothing.
/// </summary>
internal sealed class LoginThrottle(ControllerState state)
{
    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<string, Window> _failures = new(StringComparer.Ordinal);

    private sealed record Window(DateTimeOffset Start, int Count);

    /// <summary>Throws 429 when <paramref name="username"/> or <paramref name="address"/> has failed too often lately.</summary>
    public void Check(string username, string? address)
    {
        var options = state.Options;
        var wait = Blocked("user:" + username, options.MaxFailedLoginsPerUser);
        if (address is not null) wait = Max(wait, Blocked("address:" + address, options.MaxFailedLoginsPerAddress));
        if (wait is { } retry)
        {
            throw new ApiException(429, "TOO_MANY_ATTEMPTS",
                $"too many failed logins for this username or from this address; try again in {Math.Ceiling(retry.TotalSeconds)} s")
            {
                RetryAfter = retry,
            };
        }
    }

    public void Failed(string username, string? address)
    {
        if (_failures.Count >= MaxTracked) Prune();
        Count("user:" + username);
        if (address is not null) Count("address:" + address);
    }

    public void Succeeded(string username) => _failures.TryRemove("user:" + username, out _);

    private TimeSpan? Blocked(string key, int limit)
    {
        if (!_failures.TryGetValue(key, out var window)) return null;
        var end = window.Start + state.Options.LoginThrottleWindow;
        var now = state.Now;
        return window.Count >= limit && end > now ? end - now : null;
    }

    private void Count(string key)
    {
        var now = state.Now;
        _failures.AddOrUpdate(key, _ => new Window(now, 1),
            (_, w) => w.Start + state.Options.LoginThrottleWindow <= now ? new Window(now, 1) : w with { Count = w.Count + 1 });
    }

    private void Prune()
    {
        var cutoff = state.Now - state.Options.LoginThrottleWindow;
        foreach (var (key, window) in _failures)
        {
            if (window.Start <= cutoff) _failures.TryRemove(key, out _);
        }
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
