using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Billing;

/// <summary>
/// Prices a session's bytes, duration and calls in micros with integer arithmetic: the whole price is one
/// fraction over 10^9 computed in 128 bits and divided once, so nothing is lost to floating point or to
/// rounding each dimension separately. The single division rounds down to the micro.
/// </summary>
public sealed class RateCard
{
    private const long BytesPerGB = 1_000_000_000;
    private const long TicksScale = BytesPerGB / TimeSpan.TicksPerSecond; // ticks * rate * 100 / 10^9 = seconds * rate

    private readonly UsageRate _default;
    private readonly Dictionary<string, UsageRate> _services;

    /// <summary>Creates a rate card.</summary>
    /// <exception cref="ZtConfigurationException">A rate is negative.</exception>
    public RateCard(RateCardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Validate(problems, "Rates", options);
        if (problems.Count > 0) throw new ZtConfigurationException(string.Join("; ", problems));
        _default = options.Default;
        _services = new Dictionary<string, UsageRate>(options.Services, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Creates the rate card of the bound <see cref="ZtBillingOptions"/>.</summary>
    public RateCard(IOptions<ZtBillingOptions> options)
        : this(options.Value.Rates)
    {
    }

    /// <summary>The rate that applies to <paramref name="service"/>.</summary>
    public UsageRate RateFor(string service) =>
        _services.TryGetValue(service, out var rate) ? rate : _default;

    /// <summary>Prices a usage record with the rate of its service.</summary>
    public long PriceMicros(UsageRecord usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return PriceMicros(RateFor(usage.Service), usage.BytesSent, usage.BytesReceived, usage.Duration, usage.Calls);
    }

    /// <summary>Prices usage at <paramref name="rate"/>, rounding down to the micro once.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A quantity is negative.</exception>
    /// <exception cref="OverflowException">The price does not fit in 64 bits of micros.</exception>
    public static long PriceMicros(UsageRate rate, long bytesSent, long bytesReceived, TimeSpan duration, long calls)
    {
        ArgumentNullException.ThrowIfNull(rate);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesSent);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesReceived);
        ArgumentOutOfRangeException.ThrowIfNegative(duration.Ticks, nameof(duration));
        ArgumentOutOfRangeException.ThrowIfNegative(calls);

        // Everything over a common denominator of 10^9: bytes are per GB, ticks per 10^7 per second.
        Int128 numerator =
            (Int128)bytesSent * rate.MicrosPerGBSent
            + (Int128)bytesReceived * rate.MicrosPerGBReceived
            + (Int128)duration.Ticks * rate.MicrosPerSecond * TicksScale
            + (Int128)calls * rate.MicrosPerCall * BytesPerGB;
        return checked((long)(numerator / BytesPerGB));
    }

    /// <summary>Adds a message to <paramref name="problems"/> for every negative price in <paramref name="options"/>, named under <paramref name="name"/>.</summary>
    public static void Validate(List<string> problems, string name, RateCardOptions options)
    {
        Check(problems, $"{name}:{nameof(RateCardOptions.Default)}", options.Default);
        foreach (var (service, rate) in options.Services)
            Check(problems, $"{name}:{nameof(RateCardOptions.Services)}:{service}", rate);
    }

    private static void Check(List<string> problems, string name, UsageRate? rate)
    {
        if (rate is null)
        {
            problems.Add($"{name} is missing");
            return;
        }
        if (rate.MicrosPerGBSent < 0) problems.Add($"{name}:{nameof(UsageRate.MicrosPerGBSent)} must not be negative");
        if (rate.MicrosPerGBReceived < 0) problems.Add($"{name}:{nameof(UsageRate.MicrosPerGBReceived)} must not be negative");
        if (rate.MicrosPerSecond < 0) problems.Add($"{name}:{nameof(UsageRate.MicrosPerSecond)} must not be negative");
        if (rate.MicrosPerCall < 0) problems.Add($"{name}:{nameof(UsageRate.MicrosPerCall)} must not be negative");
    }
}
