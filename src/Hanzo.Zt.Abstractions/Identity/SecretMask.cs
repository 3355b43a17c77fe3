namespace Hanzo.Zt.Identity;

/// <summary>Masks secrets for display: only the last five characters stay visible.</summary>
public static class SecretMask
{
    /// <summary>How many trailing characters stay visible.</summary>
    public const int VisibleCharacters = 5;

    /// <summary>
    /// Returns <paramref name="secret"/> with all but its last five characters replaced by <c>*</c>.
    /// Secrets of five characters or fewer are masked entirely, so nothing of a short secret leaks.
    /// </summary>
    public static string Mask(string? secret)
    {
        if (string.IsNullOrEmpty(secret)) return string.Empty;
        if (secret.Length <= VisibleCharacters) return new string('*', secret.Length);
        return string.Create(secret.Length, secret, static (span, s) =>
        {
            span[..^VisibleCharacters].Fill('*');
            s.AsSpan(s.Length - VisibleCharacters).CopyTo(span[^VisibleCharacters..]);
        });
    }
}
