using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hanzo.Zt.Identity;

/// <summary>
/// OpenZiti-style identity files: <c>{"ztAPI": url, "id": {"key": "pem:…", "cert": "pem:…", "ca": "pem:…"}}</c>.
/// </summary>
public static class IdentityFile
{
    /// <summary>Reads an identity file.</summary>
    /// <exception cref="ZtIdentityException">The file is missing, not an identity file, or its key does not match its certificate.</exception>
    public static ZtIdentity Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new ZtIdentityException($"cannot read identity file '{path}': {e.Message}", e);
        }

        return Parse(json, path);
    }

    /// <summary>Parses identity file content; <paramref name="name"/> names it in errors.</summary>
    public static ZtIdentity Parse(string json, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var id = root.GetProperty("id");
            string key = Pem(id, "key", name), cert = Pem(id, "cert", name), ca = Pem(id, "ca", name);
            var certificate = X509Certificate2.CreateFromPem(cert, key);
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPem(ca);
            if (authorities.Count == 0)
            {
                throw new ZtIdentityException($"identity file '{name}' holds no CA certificate (id.ca)");
            }

            var controllers = ControllersOf(root, name);
            return new ZtIdentity(name, certificate, authorities, controllers.FirstOrDefault()) { ControllerUrls = controllers };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ZtIdentityException($"'{name}' is not a valid identity file: {e.Message}", e);
        }
    }

    /// <summary>
    /// The controllers an identity file names: <c>ztAPIs</c> (a list, as OpenZiti writes for clusters) followed by
    /// <c>ztAPI</c> (one URL, or several separated by commas), without repeats.
    /// </summary>
    private static List<Uri> ControllersOf(JsonElement root, string name)
    {
        var texts = new List<string>();
        if (root.TryGetProperty("ztAPIs", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            texts.AddRange(list.EnumerateArray().Select(e => e.GetString() ?? ""));
        }

        if (root.TryGetProperty("ztAPI", out var api) && api.ValueKind == JsonValueKind.String)
        {
            texts.AddRange(api.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        var controllers = new List<Uri>();
        foreach (var text in texts)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != "https")
            {
                throw new ZtIdentityException($"identity file '{name}' names a controller '{text}' that is not an https URL");
            }

            if (!controllers.Contains(url))
            {
                controllers.Add(url);
            }
        }

        return controllers;
    }

    /// <summary>Writes an identity file (readable by its owner only).</summary>
    public static void Save(string path, Uri controller, string keyPem, string certPem, string caPem)
    {
        var json = new JsonObject
        {
            ["ztAPI"] = controller.GetLeftPart(UriPartial.Authority),
            ["id"] = new JsonObject { ["key"] = "pem:" + keyPem, ["cert"] = "pem:" + certPem, ["ca"] = "pem:" + caPem },
        };
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        Hanzo.Zt.Tokens.PrivateFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Pem(JsonElement id, string field, string name)
    {
        string value = id.GetProperty(field).GetString() ?? "";
        if (!value.StartsWith("pem:", StringComparison.Ordinal))
        {
            throw new ZtIdentityException($"identity file '{name}': id.{field} must be an inline 'pem:' value");
        }

        return value["pem:".Length..];
    }
}
