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
    internal string? ControllerCaValue { get; private set; }
    internal bool BillingEnabledValue { get; private set; } = true;
    internal IBillingProvider? BillingProviderValue { get; private set; }
    internal string? BillingAccountValue { get; private set; }
    internal string? OutboxPathValue { get; private set; }
    internal string CurrencyValue { get; private set; } = "usd";
    internal TimeSpan ConnectTimeoutValue { get; private set; } = ZtDefaults.ConnectTimeout;
    internal TimeSpan RequestTimeoutValue { get; private set; } = ZtDefaults.RequestTimeout;

    internal ZtConfigBuilder()
    {
    }

    /// <summary>Sets the controller's base URL (overrides the identity file's; required with credentials).</summary>
    public ZtConfigBuilder WithControllerUrl(string url)
    {
        ControllerUrlValue = url;
        return this;
    }

    /// <summary>Sets the controller's base URL (overrides the identity file's; required with credentials).</summary>
    public ZtConfigBuilder WithControllerUrl(Uri url) => WithControllerUrl(url.ToString());

    /// <summary>Signs in with credentials held in memory (a Hanzo IAM token).</summary>
    public ZtConfigBuilder WithCredentials(ZtCredentials credentials)
    {
        CredentialsValue = credentials ?? throw new ArgumentNullException(nameof(credentials));
        return this;
    }

    /// <summary>Signs in with a Hanzo IAM token held in memory.</summary>
    public ZtConfigBuilder WithApiKey(string apiKey) =>
        WithCredentials(new ZtCredentials(ZtCredentialKind.ApiKey, apiKey, "memory"));

    /// <summary>Signs in with credentials resolved as every Hanzo SDK does: <c>HANZO_API_KEY</c>, then <c>$HOME/.hanzo/auth.json</c>.</summary>
    /// <exception cref="ZtIdentityException">Neither place holds credentials.</exception>
    public ZtConfigBuilder WithEnvironmentCredentials() =>
        WithCredentials(HanzoCredentialResolver.Default.Resolve());

    /// <summary>Uses the enrolled x509 identity in an identity file.</summary>
    public ZtConfigBuilder WithIdentityFile(string path)
    {
        IdentityFileValue = path;
        return this;
    }

    /// <summary>Trusts the controller CA in <paramref name="pemFileOrText"/> when signing in with credentials.</summary>
    public ZtConfigBuilder WithControllerCa(string pemFileOrText)
    {
        ControllerCaValue = pemFileOrText;
        return this;
    }

    /// <summary>Turns the balance gate and metering on or off (on by default).</summary>
    public ZtConfigBuilder WithBilling(bool enabled, string? currency = null)
    {
        BillingEnabledValue = enabled;
        if (currency is not null) CurrencyValue = currency;
        return this;
    }

    /// <summary>Bills through <paramref name="provider"/> (required while billing is on).</summary>
    public ZtConfigBuilder WithBillingProvider(IBillingProvider provider, string? account = null, string? outboxPath = null)
    {
        BillingProviderValue = provider ?? throw new ArgumentNullException(nameof(provider));
        BillingAccountValue = account;
        OutboxPathValue = outboxPath;
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
        bool hasFile = !string.IsNullOrWhiteSpace(IdentityFileValue);
        if (CredentialsValue is null && !hasFile)
            problems.Add("credentials are required (WithApiKey, WithCredentials, WithEnvironmentCredentials or WithIdentityFile)");
        ZtSettingsRules.CheckUrl(problems, "controller URL", ControllerUrlValue, required: !hasFile);
        if (BillingEnabledValue && BillingProviderValue is null)
            problems.Add("billing is on but no billing provider is set (WithBillingProvider, or WithBilling(false))");
        ZtSettingsRules.CheckCurrency(problems, "currency", CurrencyValue);
        ZtSettingsRules.CheckTimeout(problems, "connect timeout", ConnectTimeoutValue);
        ZtSettingsRules.CheckTimeout(problems, "request timeout", RequestTimeoutValue);

        if (problems.Count > 0)
            throw new ZtConfigurationException("invalid ZT configuration: " + string.Join("; ", problems));

        return new ZtConfig(this, string.IsNullOrWhiteSpace(ControllerUrlValue) ? null : new Uri(ControllerUrlValue));
    }
}
