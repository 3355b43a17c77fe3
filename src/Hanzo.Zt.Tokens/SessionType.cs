using System.Text.Json.Serialization;

namespace Hanzo.Zt.Tokens;

/// <summary>What a session (and a service policy) grants: connecting to a service or hosting it.</summary>
/// <remarks>On the wire (REST bodies, session tokens, stored records) the names are <c>Dial</c> and <c>Bind</c>.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<SessionType>))]
public enum SessionType
{
    /// <summary>Connect to the service.</summary>
    Dial,

    /// <summary>Host the service.</summary>
    Bind,
}

/// <summary>Conversions of <see cref="SessionType"/> to and from its wire names.</summary>
public static class SessionTypes
{
    /// <summary>The wire name, <c>Dial</c> or <c>Bind</c>.</summary>
    public static string ToWireName(this SessionType type) => type switch
    {
        SessionType.Dial => "Dial",
        SessionType.Bind => "Bind",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "neither Dial nor Bind"),
    };

    /// <summary>Parses <c>Dial</c> or <c>Bind</c> (exactly, as the wire spells them).</summary>
    public static bool TryParse(string? name, out SessionType type)
    {
        switch (name)
        {
            case "Dial": type = SessionType.Dial; return true;
            case "Bind": type = SessionType.Bind; return true;
            default: type = default; return false;
        }
    }
}
