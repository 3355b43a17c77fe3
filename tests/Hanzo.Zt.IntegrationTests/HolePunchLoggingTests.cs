using Hanzo.Zt.NatTraversal.HolePunch;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>LiteNetLib writes to standard output unless given a logger: processes that carry data there (zt dial) must give it one.</summary>
public sealed class HolePunchLoggingTests
{
    [Fact]
    public void Once_a_traversal_exists_LiteNetLib_has_a_logger_and_leaves_standard_output_alone()
    {
        _ = new HolePunchNatTraversal();

        LiteNetLib.NetDebug.Logger.ShouldNotBeNull();
        LiteNetLib.NetDebug.Logger.GetType().Assembly.ShouldBe(typeof(HolePunchNatTraversal).Assembly);
    }
}
