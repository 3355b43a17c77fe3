namespace Hanzo.Zt.Tokens;

/// <summary>What a revocation entry names, as the controller's revocation feed spells it.</summary>
public static class RevocationTypes
{
    /// <summary>An identity: everything it holds stops working.</summary>
    public const string Identity = "IDENTITY";

    /// <summary>A certificate, by its serial number in lower-case hex.</summary>
    public const string Certificate = "CERTIFICATE";

    /// <summary>One session, by its id.</summary>
    public const string Session = "SESSION";
}
