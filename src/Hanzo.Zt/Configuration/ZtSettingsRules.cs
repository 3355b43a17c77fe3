namespace Hanzo.Zt.Configuration;

/// <summary>The checks shared by <see cref="ZtOptionsValidator"/> and <see cref="ZtConfigBuilder"/>.</summary>
internal static class ZtSettingsRules
{
    public static void CheckUrl(List<string> problems, string name, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) problems.Add($"{name} is required");
            return;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            problems.Add($"{name} '{value}' is not an absolute http(s) URL");
    }

    public static void CheckTimeout(List<string> problems, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            problems.Add($"{name} must be positive (was {value})");
    }

    public static void CheckCurrency(List<string> problems, string name, string? value)
    {
        if (value is null || value.Length != 3 || !value.All(char.IsAsciiLetterLower))
            problems.Add($"{name} must be a lower case ISO 4217 code such as 'usd' (was '{value}')");
    }
}
