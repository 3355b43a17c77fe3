using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Hanzo.Zt.Identity;

namespace Hanzo.Zt.Tests.Identity;

public class IdentityFileControllersTests
{
    private static string IdentityJson(Action<JsonObject> controllers)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        var json = new JsonObject
        {
            ["id"] = new JsonObject
            {
                ["key"] = "pem:" + key.ExportPkcs8PrivateKeyPem(),
                ["cert"] = "pem:" + certificate.ExportCertificatePem(),
                ["ca"] = "pem:" + certificate.ExportCertificatePem(),
            },
        };
        controllers(json);
        return json.ToJsonString();
    }

    [Fact]
    public void The_controllers_of_ztAPIs_come_first_in_order_then_ztAPI_without_repeats()
    {
        var identity = IdentityFile.Parse(IdentityJson(j =>
        {
            j["ztAPIs"] = new JsonArray("https://c1:1280", "https://c2:1280");
            j["ztAPI"] = "https://c2:1280,https://c3:1280";
        }), "cluster.json");

        identity.ControllerUrls.Select(u => u.Authority).ShouldBe(["c1:1280", "c2:1280", "c3:1280"]);
        identity.ControllerUrl!.Authority.ShouldBe("c1:1280");
    }

    [Fact]
    public void One_ztAPI_is_the_only_controller()
    {
        var identity = IdentityFile.Parse(IdentityJson(j => j["ztAPI"] = "https://ctrl:1280"), "one.json");

        identity.ControllerUrls.Select(u => u.Authority).ShouldBe(["ctrl:1280"]);
    }

    [Fact]
    public void A_controller_that_is_not_https_is_refused_with_its_value_named()
    {
        var error = Should.Throw<ZtIdentityException>(() =>
            IdentityFile.Parse(IdentityJson(j => j["ztAPIs"] = new JsonArray("https://c1:1280", "c2:1280")), "bad.json"));

        error.Message.ShouldContain("'c2:1280'");
    }
}
