using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanzo.Zt.Credentials;

/// <summary>The shape of <c>$HOME/.hanzo/auth.json</c>, shared with the other Hanzo SDKs and CLIs.</summary>
internal sealed record AuthFile(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("api_key")] string? ApiKey,
    [property: JsonPropertyName("email")] string? Email);

[JsonSerializable(typeof(AuthFile))]
[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
internal sealed partial class AuthFileJsonContext : JsonSerializerContext;
