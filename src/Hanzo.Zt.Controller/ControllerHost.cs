using System.Net;
using System.Security.Cryptography.X509Certificates;
using Hanzo.Zt.Controller.Api;
using Hanzo.Zt.Controller.Auth;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Controller;

/// <summary>
/// A running controller: HTTPS (Kestrel) on the configured URL with a certificate from its own CA, its state
/// in the data directory. Start with <see cref="StartAsync"/>; dispose to stop.
/// </summary>
public sealed class ControllerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ControllerState _state;
    private int _disposed;

    private ControllerHost(WebApplication app, ControllerState state, Uri url)
    {
        _app = app;
        _state = state;
        Url = url;
    }

    /// <summary>The URL the controller is reachable at, with the port actually bound (when 0 was asked for).</summary>
    public Uri Url { get; }

    /// <summary>The controller's CA certificate: clients trust it for TLS and it signs every issued certificate.</summary>
    public X509Certificate2 CaCertificate => _state.Ca.Certificate;

    /// <summary>The public keys that verify session tokens (also served at <c>/edge/client/v1/.well-known/jwks</c>).</summary>
    public JsonWebKeySet SigningKeys => _state.Jwks;

    /// <summary>A verifier for session tokens issued by this controller.</summary>
    public SessionTokenVerifier CreateSessionTokenVerifier() => new(_state.Jwks, _state.Issuer);

    /// <summary>
    /// Opens (or on first start creates) the controller in <see cref="ControllerOptions.DataDirectory"/>, or in the
    /// shared store chosen with e.g. <c>UsePostgreSql</c>, and starts serving. First start needs
    /// <see cref="ControllerOptions.AdminPassword"/>. Controllers sharing a store may start at the same moment: one
    /// creates the CA and keys, the others load them.
    /// </summary>
    /// <exception cref="ZtConfigurationException">The options are unusable, the store is empty and no admin password is set, or the controller key does not fit (or, with a shared store, is not set).</exception>
    public static async Task<ControllerHost> StartAsync(ControllerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = ParseUrl(options.Url);
        var state = await ControllerState.OpenAsync(options, cancellationToken);
        try
        {
            var hosts = new List<string> { "127.0.0.1", "::1", "localhost", url.Host.Trim('[', ']'), Environment.MachineName };
            hosts.AddRange(options.AdditionalHostNames);
            var serverCertificate = state.Ca.IssueServerCertificate(hosts.Where(h => h is not ("0.0.0.0" or "::" or "*" or "+")), state.Now, TimeSpan.FromDays(30));

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            if (options.ConsoleLogging) builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(options.ConsoleLogging ? LogLevel.Information : LogLevel.Warning);
            // Request lines carry one-time enrollment tokens in their query strings: keep them out of logs.
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
                kestrel.Listen(ListenAddress(url.Host), url.Port, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serverCertificate,
                    // Certificates are optional (password and JWT logins have none) and checked by the cert login itself.
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                    CheckCertificateRevocation = false,
                }));
            });
            builder.Services.AddSingleton(state);
            builder.Services.AddSingleton<ApiSessionResolver>();
            builder.Services.AddSingleton<ExternalJwtValidator>();
            builder.Services.AddSingleton<LoginThrottle>();
            builder.Services.AddSingleton<Authenticator>();
            builder.Services.AddSingleton<TokenIssuer>();
            builder.Services.AddSingleton<ExpiredStatePurger>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ExpiredStatePurger>());

            var app = builder.Build();
            app.UseMiddleware<ErrorEnvelopeMiddleware>();
            ClientEndpoints.Map(app);
            ManagementEndpoints.Map(app);
            RouterEndpoints.Map(app);
            app.MapFallback((HttpContext context) =>
            {
                throw new ApiException(404, "NOT_FOUND", $"no endpoint answers {context.Request.Method} {context.Request.Path}");
            });

            await app.StartAsync(cancellationToken);
            var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var publicUrl = new UriBuilder(url) { Port = new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal)).Port, Path = "" }.Uri;
            state.Issuer = publicUrl.GetLeftPart(UriPartial.Authority);
            return new ControllerHost(app, state, publicUrl);
        }
        catch
        {
            await state.DisposeAsync();
            throw;
        }
    }

    internal ControllerState State => _state;

    /// <summary>Deletes expired state now (it also happens every <see cref="ControllerOptions.PurgeInterval"/>).</summary>
    internal Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) =>
        _app.Services.GetRequiredService<ExpiredStatePurger>().PurgeAsync(cancellationToken);

    /// <summary>Completes when the host stops (or <paramref name="cancellationToken"/> fires).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops serving and releases the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
            await _state.DisposeAsync();
        }
    }

    private static Uri ParseUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "https")
            throw new ZtConfigurationException($"controller URL '{url}' is not an https URL such as https://127.0.0.1:1280");
        return uri;
    }

    private static IPAddress ListenAddress(string host) => host.Trim('[', ']') switch
    {
        "localhost" => IPAddress.Loopback,
        "0.0.0.0" or "*" or "+" => IPAddress.Any,
        "::" => IPAddress.IPv6Any,
        var h when IPAddress.TryParse(h, out var ip) => ip,
        var h => throw new ZtConfigurationException($"controller URL host '{h}' must be an IP address or localhost (it is the address to listen on)"),
    };
}
