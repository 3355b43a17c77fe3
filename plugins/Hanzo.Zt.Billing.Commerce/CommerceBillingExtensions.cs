using Hanzo.Zt.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Hanzo.Zt.Billing.Commerce;

/// <summary>Registers Hanzo Commerce as the billing provider.</summary>
public static class CommerceBillingExtensions
{
    /// <summary>
    /// Makes <see cref="CommerceBillingProvider"/> the billing provider and adds the billing engine
    /// (<c>AddUsageMetering()</c>). Options come from the metering environment variables, then the
    /// <c>HanzoZt:Billing:Commerce</c> section, then <paramref name="configure"/>.
    /// </summary>
    public static IZtBuilder AddCommerceBilling(this IZtBuilder builder, Action<CommerceBillingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddCommerceServices(builder.Services, configuration: null);
        if (configure is not null) builder.Services.Configure(configure);
        builder.AddBilling<CommerceBillingProvider>();
        return builder.AddUsageMetering();
    }

    /// <summary>Options, validation and the resilient HTTP client; shared with the plugin entry point.</summary>
    internal static void AddCommerceServices(IServiceCollection services, IConfiguration? configuration)
    {
        services.AddOptions<CommerceBillingOptions>()
            .Configure<IServiceProvider>((options, sp) =>
            {
                options.ApplyEnvironment();
                (configuration ?? sp.GetService<IConfiguration>())?.GetSection(CommerceBillingOptions.SectionName).Bind(options);
            })
            .Validate(o => o.ServiceToken is { Length: > 0 }, "Hanzo Commerce billing needs a service token: set COMMERCE_SERVICE_TOKEN (or HanzoZt:Billing:Commerce:ServiceToken)")
            .Validate(o => o.BaseUrl is null || Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https",
                "COMMERCE_URL (HanzoZt:Billing:Commerce:BaseUrl) must be an absolute http(s) URL")
            .Validate(o => o.AttemptTimeout > TimeSpan.Zero && o.TotalTimeout >= o.AttemptTimeout && o.MaxRetries >= 0 && o.RetryDelay >= TimeSpan.Zero,
                "Hanzo Commerce timeouts must be positive (total at least one attempt) and retries non-negative")
            .ValidateOnStart();

        // METERING_FAIL_OPEN means the same for the gate as HanzoZt:Billing:FailOpen.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ZtBillingOptions>, FailOpenFromCommerce>());

        services.AddHttpClient(CommerceBillingProvider.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("commerce", static (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<CommerceBillingOptions>>().Value;
                pipeline.AddTimeout(options.TotalTimeout);
                if (options.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        Delay = options.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                    });
                }
                pipeline.AddTimeout(options.AttemptTimeout);
            });
    }

    private sealed class FailOpenFromCommerce(IOptions<CommerceBillingOptions> commerce) : IPostConfigureOptions<ZtBillingOptions>
    {
        public void PostConfigure(string? name, ZtBillingOptions options)
        {
            if (commerce.Value.FailOpen) options.FailOpen = true;
        }
    }
}
