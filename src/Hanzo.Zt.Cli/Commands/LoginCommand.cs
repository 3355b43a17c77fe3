using System.CommandLine;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hanzo.Zt.Cli.Admin;
using Hanzo.Zt.Tokens;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// <c>zt login &lt;controller-url&gt;</c>: signs in to a controller with a password or an IAM token (ext-jwt) and keeps the
/// API session for the admin verbs. The controller's CA is trusted on first use: its SHA-256 fingerprint is shown,
/// and a later login to the same controller with another CA is refused. <c>zt logout</c> forgets the login.
/// </summary>
internal static class LoginCommand
{
    public const string PasswordVariable = "ZT_PASSWORD";

    public static Command Create()
    {
        var url = new Argument<string>("controller-url") { Description = "The controller, e.g. https://127.0.0.1:1280." };
        var username = new Option<string>("--username", "-u") { Description = "The identity to sign in as (password login).", DefaultValueFactory = _ => "admin" };
        var password = new Option<string?>("--password", "-p") { Description = $"The password (else {PasswordVariable})." };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file holding an IAM token (JWT) of a signer the controller trusts: signs in with ext-jwt." };
        var caFile = new Option<string?>("--ca") { Description = "The controller's CA (PEM file) to trust instead of trusting on first use." };
        var command = new Command("login", "Sign in to a controller for the admin verbs (create, list, delete).") { url, username, password, tokenFile, caFile };
        command.SetAction((parseResult, cancellationToken) => CliFailure.RunAsync("login", parseResult.InvocationConfiguration.Error, async () =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var controller = ParseUrl(parseResult.GetValue(url)!);
            string? jwt = parseResult.GetValue(tokenFile) is { } file ? await TokenFile.ReadAsync(file, "--token-file", cancellationToken) : null;
            string? secret = parseResult.GetValue(password) ?? Environment.GetEnvironmentVariable(PasswordVariable);
            if (jwt is null && string.IsNullOrEmpty(secret))
            {
                throw new ZtConfigurationException($"give a password (--password or {PasswordVariable}) or an IAM token (--token-file)");
            }

            var ca = parseResult.GetValue(caFile) is { } caPath
                ? X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caPath, cancellationToken))
                : await FetchCaAsync(controller, cancellationToken);
            string fingerprint = LoginState.Fingerprint(ca);
            var previous = LoginState.Load();
            if (previous is not null && SameController(previous.ControllerUrl, controller) && previous.CaFingerprint != fingerprint && parseResult.GetValue(caFile) is null)
            {
                throw new ZtIdentityException($"the CA of {controller} changed (SHA-256 {fingerprint}, trusted before {previous.CaFingerprint}); if that is expected run `zt logout` and log in again");
            }

            await output.WriteLineAsync($"controller CA SHA-256 fingerprint {fingerprint}" + (previous?.CaFingerprint == fingerprint ? " (trusted before)" : " (trusted on first use)"));
            var (identity, token) = await AuthenticateAsync(controller, ca, parseResult.GetValue(username)!, secret, jwt, cancellationToken);
            new LoginState(controller.GetLeftPart(UriPartial.Authority), ca.ExportCertificatePem(), identity, token).Save();
            await output.WriteLineAsync($"logged in to {controller.GetLeftPart(UriPartial.Authority)} as {identity}; login stored in {CliPaths.LoginFile}");
            return 0;
        }));
        return command;
    }

    public static Command CreateLogout()
    {
        var command = new Command("logout", "Forget the stored login.");
        command.SetAction(async (parseResult, _) =>
        {
            bool had = LoginState.Delete();
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(had ? "logged out" : "not logged in");
            return 0;
        });
        return command;
    }

    private static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "https")
        {
            throw new ZtConfigurationException($"'{text}' is not a controller URL such as https://127.0.0.1:1280");
        }

        return uri;
    }

    private static bool SameController(string stored, Uri controller) =>
        string.Equals(stored.TrimEnd('/'), controller.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    /// <summary>Fetches the CA bundle; the TLS certificate the controller presented must chain to it.</summary>
    private static async Task<X509Certificate2> FetchCaAsync(Uri controller, CancellationToken cancellationToken)
    {
        X509Certificate2? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
                return true;
            },
        };
        using var bootstrap = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
        string pem;
        try
        {
            pem = await bootstrap.GetStringAsync(new Uri(controller, "/edge/client/v1/.well-known/est/cacerts"), cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ZtControllerException($"cannot reach the controller at {controller.GetLeftPart(UriPartial.Authority)}: {e.Message}", innerException: e);
        }

        var ca = X509Certificate2.CreateFromPem(pem);
        if (presented is null || !ZtCertificates.ChainsTo(presented, ca))
        {
            throw new ZtIdentityException($"the TLS certificate of {controller.GetLeftPart(UriPartial.Authority)} is not issued by the CA it serves; not trusting it");
        }

        return ca;
    }

    internal static async Task<(string Identity, string Token)> AuthenticateAsync(
        Uri controller, X509Certificate2 ca, string username, string? password, string? jwt, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(ZtTls.ControllerHandler(ca)) { BaseAddress = controller, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/edge/client/v1/authenticate?method=" + (jwt is null ? "password" : "ext-jwt"));
        if (jwt is null)
        {
            request.Content = JsonContent.Create(new { username, password });
        }
        else
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", jwt);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        using var document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        if (!response.IsSuccessStatusCode)
        {
            throw new ZtAuthenticationException(ZtErrorCode.AuthFailed, $"the controller refused the login: {ControllerError.Of(document.RootElement).Message}");
        }

        var data = document.RootElement.GetProperty("data");
        return (data.GetProperty("identity").GetProperty("name").GetString()!, data.GetProperty("token").GetString()!);
    }
}
