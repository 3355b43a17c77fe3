using Hanzo.Zt.Billing;
using Hanzo.Zt.Credentials;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Configuration;

/// <summary>Builds a <see cref="ZtConfig"/>; <see cref="Build"/> names everything missing or invalid.</summary>
public sealed class ZtConfigBuilder
{
    internal string? ControllerUrlValue { get; private set; }
    internal ZtCredentials? CredentialsValue { get; private set; }
    internal string? IdentityFileValue { get; private set; }
    internal bool BillingEnabledValue { get; private set; } = true;
    internal string CommerceUrlValue { get; private set; } = ZtBillingOptions.DefaultCommerceUrl;
    internal string CurrencyValue { get; private set; } = "usd";
    internal TimeSpan ConnectTimeoutValue { get; private set; } = ZtDefaults.ConnectTimeout;
    internal TimeSpan RequestTimeoutValue { get; private set; } = ZtDefaults.RequestTimeout;

    internal ZtConfigBuilder()
    {
    }

    /// <summary>Sets the controller's base URL (required).</summary>
    public ZtConfigBuilder WithControllerUrl(string url)
    {
        ControllerUrlValue = url;
        return this;
    }

    /// <summary>Sets the controller's base URL (required).</summary>
    public ZtConfigBuilder WithControllerUrl(Uri url) => WithControllerUrl(url.ToString());

    /// <summary>Authenticates with credentials held in memory.</summary>
    public ZtConfigBuilder WithCredentials(ZtCredentials credentials)
    {
        CredentialsValue = credentials ?? throw new ArgumentNullException(nameof(credentials));
        return this;
    }

    /// <summary>Authenticates with an API key held in memory.</summary>
    public ZtConfigBuilder WithApiKey(string apiKey) =>
        WithCredentials(new ZtCredentials(ZtCredentialKind.ApiKey, apiKey, "memory"));

    /// <summary>Authenticates with credentials resolved as every Hanzo SDK does: <c>HANZO_API_KEY</c>, then <c>$HOME/.hanzo/auth.json</c>.</summary>
    /// <exception cref="ZtIdentityException">Neither place holds credentials.</exception>
    public ZtConfigBuilder WithEnvironmentCredentials() =>
        WithCredentials(HanzoCredentialResolver.Default.Resolve());

    /// <summary>Authenticates with the x509 identity in an identity file.</summary>
    public ZtConfigBuilder WithIdentityFile(string path)
    {
        IdentityFileValue = path;
        return this;
    }

    /// <summary>Turns the balance gate and metering on or off (on by default).</summary>
    public ZtConfigBuilder WithBilling(bool enabled, string? commerceUrl = null, string? currency = null)
    {
        BillingEnabledValue = enabled;
        if (commerceUrl is not null) CommerceUrlValue = commerceUrl;
        if (currency is not null) CurrencyValue = currency;
        return this;
    }

    /// <summary>Sets the time allowed to open a connection (default 30 s).</summary>
    public ZtConfigBuilder WithConnectTimeout(TimeSpan timeout)
    {
        ConnectTimeoutValue = timeout;
        return this;
    }

    /// <summary>Sets the time allowed for a controller request (default 15 s).</summary>
    public ZtConfigBuilder WithRequestTimeout(TimeSpan timeout)
    {
        RequestTimeoutValue = timeout;
        return this;
    }

    /// <summary>Validates and builds the configuration.</summary>
    /// <exception cref="ZtConfigurationException">Something required is missing or a value is invalid; the message names each problem.</exception>
    public ZtConfig Build()
    {
        var problems = new List<string>();
        ZtSettingsRules.CheckUrl(problems, "controller URL", ControllerUrlValue, required: true);
        if (CredentialsValue is null && string.IsNullOrWhiteSpace(IdentityFileValue))
            problems.Add("credentials are required (WithApiKey, WithCredentials, WithEnvironmentCredentials or WithIdentityFile)");
        // Checked even with billing off, so turning billing on later cannot surface a stale bad value.
        ZtSettingsRules.CheckUrl(problems, "commerce URL", CommerceUrlValue, required: true);
        ZtSettingsRules.CheckCurrency(problems, "currency", CurrencyValue);
        ZtSettingsRules.CheckTimeout(problems, "connect timeout", ConnectTimeoutValue);
        ZtSettingsRules.CheckTimeout(problems, "request timeout", RequestTimeoutValue);

        if (problems.Count > 0)
            throw new ZtConfigurationException("invalid ZT configuration: " + string.Join("; ", problems));

        return new ZtConfig(this, new Uri(ControllerUrlValue!), new Uri(CommerceUrlValue));
    }
}
