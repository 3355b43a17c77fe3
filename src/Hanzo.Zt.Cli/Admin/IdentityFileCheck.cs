using System.Text.Json;

namespace Hanzo.Zt.Cli.Admin;

/// <summary>
/// Checks an <c>--identity</c> argument before it is used, so the common mistakes get an answer that says what to
/// do: an enrollment token where the identity file belongs, or a file that lacks a field.
/// </summary>
internal static class IdentityFileCheck
{
    /// <exception cref="ZtIdentityException">The file is missing, is an enrollment token, or lacks a field (named).</exception>
    public static void Check(string path)
    {
        if (TokenFile.LooksLikeJwt(path))
        {
            throw new ZtIdentityException("--identity was given an enrollment token (JWT), not an identity file: run `zt enroll <token-file> --out <identity.json>` first and pass the identity file");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ZtIdentityException($"cannot read identity file '{path}': {e.Message}", e);
        }

        if (TokenFile.LooksLikeJwt(text))
        {
            throw new ZtIdentityException($"'{path}' holds an enrollment token (JWT), not an identity: run `zt enroll {path} --out <identity.json>` first and pass the identity file");
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException e)
        {
            throw new ZtIdentityException($"'{path}' is not an identity file (JSON with ztAPI and id.key, id.cert, id.ca): {e.Message}", e);
        }

        foreach (string field in new[] { "ztAPI", "id" })
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(field, out _))
            {
                throw new ZtIdentityException($"identity file '{path}' has no '{field}' field");
            }
        }

        foreach (string field in new[] { "key", "cert", "ca" })
        {
            if (root.GetProperty("id").ValueKind != JsonValueKind.Object || !root.GetProperty("id").TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String)
            {
                throw new ZtIdentityException($"identity file '{path}' has no 'id.{field}' field");
            }
        }
    }
}
