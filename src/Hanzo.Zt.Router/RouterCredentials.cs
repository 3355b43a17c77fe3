using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Router;

/// <summary>The router's certificate and key and the controller CA, enrolled once and kept in the data directory.</summary>
internal sealed record RouterCredentials(X509Certificate2 Certificate, X509Certificate2 Ca, Uri ControllerUrl)
{
    private const string KeyFile = "router.key.pem", CertFile = "router.cert.pem", CaFile = "ca.pem", ControllerFile = "controller.url";

    public static async Task<RouterCredentials> LoadOrEnrollAsync(RouterOptions options, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(options.DataDirectory);
        }
        else
        {
            Directory.CreateDirectory(options.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        string Path(string name) => System.IO.Path.Combine(options.DataDirectory, name);
        if (!File.Exists(Path(CertFile)))
        {
            if (string.IsNullOrWhiteSpace(options.EnrollmentJwt))
            {
                throw new ZtIdentityException($"the router in '{options.DataDirectory}' is not enrolled yet: start it once with an enrollment token (--enroll)");
            }

            await EnrollAsync(options.EnrollmentJwt.Trim(), options.DataDirectory, cancellationToken).ConfigureAwait(false);
        }

        string certPem = await File.ReadAllTextAsync(Path(CertFile), cancellationToken).ConfigureAwait(false);
        string keyPem = await File.ReadAllTextAsync(Path(KeyFile), cancellationToken).ConfigureAwait(false);
        string caPem = await File.ReadAllTextAsync(Path(CaFile), cancellationToken).ConfigureAwait(false);
        string controllerText = await File.ReadAllTextAsync(Path(ControllerFile), cancellationToken).ConfigureAwait(false);
        var certificate = X509Certificate2.CreateFromPem(certPem, keyPem);
        var ca = X509Certificate2.CreateFromPem(caPem);
        var controller = options.ControllerUrl ?? new Uri(controllerText.Trim());
        return new RouterCredentials(certificate, ca, controller);
    }

    private static async Task EnrollAsync(string jwt, string directory, CancellationToken cancellationToken)
    {
        // The token pins the controller: its CA, the TLS chain and the token's signature are checked before the
        // one-time secret is sent; every later connection to the controller and every peer is checked against that CA.
        var token = EnrollmentToken.Parse(jwt, "erott");
        var (caPem, ca, http) = await token.ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var _ = ca;
        using var __ = http;
        var controller = token.Controller;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csr = new CertificateRequest("", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        using var content = new StringContent(csr, System.Text.Encoding.ASCII, "application/x-pem-file");
        using var response = await http.PostAsync($"/edge/client/v1/enroll?method=erott&token={Uri.EscapeDataString(token.Secret)}", content, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ZtIdentityException($"router enrollment was refused ({(int)response.StatusCode}): {ControllerHttp.ErrorMessage(body)}");
        }

        string certPem = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("cert").GetString()!;
        await PrivateFile.WriteAllTextAsync(System.IO.Path.Combine(directory, KeyFile), key.ExportPkcs8PrivateKeyPem(), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(System.IO.Path.Combine(directory, CertFile), certPem, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(System.IO.Path.Combine(directory, CaFile), caPem, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(System.IO.Path.Combine(directory, ControllerFile), controller.GetLeftPart(UriPartial.Authority), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>HTTP to the controller, trusting only its CA.</summary>
internal static class ControllerHttp
{
    public static HttpClient Create(X509Certificate2 ca, Uri controller) =>
        new(ZtTls.ControllerHandler(ca))
        {
            BaseAddress = controller,
            Timeout = TimeSpan.FromSeconds(15),
        };

    public static string ErrorMessage(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString() ?? body;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
