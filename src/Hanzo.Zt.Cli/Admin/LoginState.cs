using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanzo.Zt.Cli.Admin;

/// <summary>
/// What <c>zt login</c> stores (readable by the user only): the controller, the CA trusted on first use, and the
/// API session token that the admin verbs send as <c>zt-session</c>.
/// </summary>
internal sealed record LoginState(
    [property: JsonPropertyName("controllerUrl")] string ControllerUrl,
    [property: JsonPropertyName("caPem")] string CaPem,
    [property: JsonPropertyName("identity")] string Identity,
    [property: JsonPropertyName("token")] string Token)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The SHA-256 fingerprint of the trusted CA, as colon-separated hex pairs.</summary>
    public string CaFingerprint => Fingerprint(X509Certificate2.CreateFromPem(CaPem));

    public static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Select(c => new string(c)));

    /// <summary>The stored login, or null when there is none.</summary>
    public static LoginState? Load()
    {
        string path = CliPaths.LoginFile;
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<LoginState>(File.ReadAllText(path))
                ?? throw new ZtConfigurationException($"the login file '{path}' is empty; run `zt login <controller-url>` again");
        }
        catch (JsonException e)
        {
            throw new ZtConfigurationException($"the login file '{path}' is not valid ({e.Message}); run `zt login <controller-url>` again", e);
        }
    }

    /// <summary>The stored login, or an error telling how to log in.</summary>
    public static LoginState Require() =>
        Load() ?? throw new ZtConfigurationException($"not logged in ({CliPaths.LoginFile} does not exist): run `zt login <controller-url>` first");

    public void Save()
    {
        string path = CliPaths.LoginFile;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    public static bool Delete()
    {
        if (!File.Exists(CliPaths.LoginFile))
        {
            return false;
        }

        File.Delete(CliPaths.LoginFile);
        return true;
    }
}
