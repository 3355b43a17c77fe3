namespace Hanzo.Zt.Cli.Admin;

/// <summary>Reads a token (JWT) from a file, telling apart the common mistake of passing the token text itself.</summary>
internal static class TokenFile
{
    public static async Task<string> ReadAsync(string path, string option, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            if (LooksLikeJwt(path))
            {
                throw new ZtConfigurationException($"{option} expects the path of a file holding the token, but was given the token text itself; save it to a file and pass that file");
            }

            throw new ZtConfigurationException($"{option}: the file '{path}' does not exist");
        }

        string token = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        if (!LooksLikeJwt(token))
        {
            throw new ZtConfigurationException($"{option}: '{path}' does not hold a JWT (three base64url parts separated by dots)");
        }

        return token;
    }

    /// <summary>Three non-empty base64url parts, the first a JSON object (<c>eyJ</c>).</summary>
    public static bool LooksLikeJwt(string text)
    {
        string[] parts = text.Trim().Split('.');
        return parts.Length == 3 && parts[0].StartsWith("eyJ", StringComparison.Ordinal) &&
            parts.All(p => p.Length > 0 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '='));
    }
}
