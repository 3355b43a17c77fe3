using System.Text.Json;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// A router that checks nothing (compromised, or deleted but still running) cannot reach a bound service: the host
/// checks the dialer's Dial session inside the end-to-end TLS, where no router can forge or replay it.
/// </summary>
public sealed class CompromisedRouterTests
{
    [Fact]
    public async Task A_compromised_router_cannot_splice_a_dialer_without_a_dial_session_to_a_host()
    {
        await using var fabric = await ProcessFabric.StartAsync();
        var setup = await fabric.CreateServiceAsync("guarded");
        var client = IdentityFile.Load(setup.ClientIdentity);
        await using var rogue = await RogueRouter.StartAsync(fabric, client.CertificateAuthorities[0]);
        await using var host = await fabric.StartEchoHostAsync(setup);
        await rogue.WaitForBindAsync();

        // Mallory is enrolled and may dial another service, not this one; the rogue router splices her anyway.
        var other = await fabric.CreateServiceAsync("other");
        string malloryToken = await RawEdge.SessionTokenAsync(fabric.ControllerUrl, other.ClientIdentity, other.Service, "Dial");
        var mallory = IdentityFile.Load(other.ClientIdentity);
        string clientToken = await RawEdge.SessionTokenAsync(fabric.ControllerUrl, setup.ClientIdentity, setup.Service, "Dial");

        (await rogue.DialAsAsync(mallory.Certificate, setup.Service, malloryToken)).ShouldBeNull();
        (await rogue.DialAsAsync(mallory.Certificate, setup.Service, clientToken)).ShouldBeNull("another identity's Dial token does not admit mallory");
        // The same path with the real dialer's own token is answered: the refusals above are the host's check, not the path.
        (await rogue.DialAsAsync(client.Certificate, setup.Service, clientToken)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Deleting_a_router_revokes_its_certificates()
    {
        await using var fabric = await ProcessFabric.StartAsync();
        var routers = await fabric.Admin.GetAsync("edge-routers");
        var router = routers.EnumerateArray().Single();
        string id = router.GetProperty("id").GetString()!;

        await fabric.Admin.DeleteAsync("edge-routers/" + id);

        using var http = new HttpClient(Hanzo.Zt.Tokens.ZtTls.ControllerHandler(IdentityFileCa(fabric))) { BaseAddress = fabric.ControllerUrl };
        var feed = JsonDocument.Parse(await http.GetStringAsync("/edge/client/v1/revocations")).RootElement.GetProperty("data");
        feed.EnumerateArray().ShouldContain(r => r.GetProperty("type").GetString() == "IDENTITY" && r.GetProperty("target").GetString() == id);
        feed.EnumerateArray().Count(r => r.GetProperty("type").GetString() == "CERTIFICATE").ShouldBeGreaterThan(0);
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 IdentityFileCa(ProcessFabric fabric) =>
        System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(fabric.Root, "router", "ca.pem")));
}
