using Hanzo.Zt.Billing;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Configuration;

/// <summary>Validates <see cref="ZtOptions"/> when the host starts, naming every problem at once.</summary>
internal sealed class ZtOptionsValidator : IValidateOptions<ZtOptions>
{
    public ValidateOptionsResult Validate(string? name, ZtOptions options)
    {
        var problems = new List<string>();
        var prefix = ZtOptions.SectionName + ":";
        ZtSettingsRules.CheckUrl(problems, prefix + nameof(ZtOptions.ControllerUrl), options.ControllerUrl, required: false);
        for (int i = 0; i < options.ControllerUrls.Count; i++)
        {
            ZtSettingsRules.CheckUrl(problems, $"{prefix}{nameof(ZtOptions.ControllerUrls)}:{i}", options.ControllerUrls[i], required: true);
        }
        ZtSettingsRules.CheckTimeout(problems, prefix + nameof(ZtOptions.ConnectTimeout), options.ConnectTimeout);
        ZtSettingsRules.CheckTimeout(problems, prefix + nameof(ZtOptions.RequestTimeout), options.RequestTimeout);
        if (options.Billing.Enabled)
        {
            var billing = prefix + nameof(ZtOptions.Billing) + ":";
            ZtSettingsRules.CheckCurrency(problems, billing + nameof(ZtBillingOptions.Currency), options.Billing.Currency);
            if (options.Billing.BalanceCacheDuration < TimeSpan.Zero)
                problems.Add($"{billing}{nameof(ZtBillingOptions.BalanceCacheDuration)} must not be negative");
            ZtSettingsRules.CheckTimeout(problems, billing + nameof(ZtBillingOptions.DeliveryInterval), options.Billing.DeliveryInterval);
            ZtSettingsRules.CheckTimeout(problems, billing + nameof(ZtBillingOptions.RetryBaseDelay), options.Billing.RetryBaseDelay);
            ZtSettingsRules.CheckTimeout(problems, billing + nameof(ZtBillingOptions.RetryMaxDelay), options.Billing.RetryMaxDelay);
            Billing.RateCard.Validate(problems, billing + nameof(ZtBillingOptions.Rates), options.Billing.Rates);
        }
        if (options.IdentityFile is { Length: > 0 } file && !File.Exists(file))
            problems.Add($"{prefix}{nameof(ZtOptions.IdentityFile)} '{file}' does not exist");

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
