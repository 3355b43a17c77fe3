using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hanzo.Zt.Billing.Commerce;

/// <summary>The body of <c>POST /v1/billing/usage</c>, field for field as Commerce reads it.</summary>
internal sealed record UsageRequest(
    string User, string Currency, long Amount, string Provider, string Model, string RequestId, string Status, string? ClientIp);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UsageRequest))]
internal sealed partial class CommerceJsonContext : JsonSerializerContext;
