namespace Hanzo.Zt.NatTraversal.HolePunch;

/// <summary>Settings of <see cref="HolePunchNatTraversal"/>.</summary>
public sealed class HolePunchOptions
{
    /// <summary>Time between probe rounds.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Sockets the side behind a symmetric NAT opens towards the peer, each getting its own mapping (the "many
    /// sockets" half of birthday-style probing).
    /// </summary>
    public int HardSideSockets { get; set; } = 256;

    /// <summary>Random ports of the peer's public address the easy side tries per probe round (the "many guesses" half).</summary>
    public int GuessesPerRound { get; set; } = 128;

    /// <summary>Time between keepalives on a direct path (they also hold the NAT mappings open).</summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A direct path with no answer for this long is dead, and the connection goes back to the relay.</summary>
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromSeconds(3);
}
