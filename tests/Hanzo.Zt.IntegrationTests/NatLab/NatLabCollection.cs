namespace Hanzo.Zt.IntegrationTests.NatLab;

/// <summary>
/// The NAT lab's tests run alone, after the tests that run side by side. A class of its own: a test class that is also
/// its collection's definition had its lab fixture built twice, and the second lab (with its controller and router
/// processes) was never taken down.
/// </summary>
[CollectionDefinition(nameof(NatLabCollection), DisableParallelization = true)]
public sealed class NatLabCollection;
