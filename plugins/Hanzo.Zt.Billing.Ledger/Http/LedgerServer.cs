using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Billing.Ledger.Http;

/// <summary>
/// An HTTP server speaking Hanzo Commerce's billing API (<c>/v1/billing/balance</c>, <c>/usage</c>,
/// <c>/deposit</c>) over a <see cref="LedgerStore"/>, so a self-hosted fabric can bill without Commerce.
/// Every request must carry <c>Authorization: Bearer</c> with a token the server accepts, and is limited to what
/// that token's scopes and orgs allow (<see cref="LedgerCredential"/>); errors are RFC 9457 problem documents.
/// </summary>
public sealed class LedgerServer : IAsyncDisposable
{
    /// <summary>The largest request body accepted, in bytes.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    private readonly WebApplication _app;

    private LedgerServer(WebApplication app, LedgerStore store, Uri address)
    {
        _app = app;
        Store = store;
        Address = address;
    }

    /// <summary>The address the server is bound to (with the real port when started on port 0).</summary>
    public Uri Address { get; }

    /// <summary>The ledger the server answers from.</summary>
    public LedgerStore Store { get; }

    /// <summary>
    /// Opens the ledger in <paramref name="dataDirectory"/> and serves it on <paramref name="url"/>
    /// (e.g. <c>http://127.0.0.1:0</c> for a free port).
    /// </summary>
    public static Task<LedgerServer> StartAsync(string dataDirectory, string url, string serviceToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceToken);
        return StartAsync(dataDirectory, url, [LedgerCredential.Admin(serviceToken)], cancellationToken);
    }

    /// <summary>
    /// Opens the ledger in <paramref name="dataDirectory"/> and serves it on <paramref name="url"/> to the holders of
    /// <paramref name="credentials"/>, each limited to its scopes and orgs.
    /// </summary>
    public static async Task<LedgerServer> StartAsync(string dataDirectory, string url, IReadOnlyList<LedgerCredential> credentials, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        ArgumentNullException.ThrowIfNull(credentials);
        if (credentials.Count == 0) throw new ArgumentException("the ledger needs at least one credential", nameof(credentials));

        var store = await LedgerStore.OpenAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
        WebApplication? app = null;
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IHostLifetime, NoopHostLifetime>();
            builder.WebHost.UseUrls(url);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            });

            app = builder.Build();
            var check = new LedgerAuthorization(credentials);
            app.Use(async (context, next) =>
            {
                if (check.Authenticate(context.Request) is not null)
                {
                    await next(context);
                    return;
                }
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Problem.WriteAsync(context, StatusCodes.Status401Unauthorized, "a valid 'Authorization: Bearer <service token>' header is required");
            });
            LedgerEndpoints.Map(app, store);

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = new Uri(app.Urls.First());
            return new LedgerServer(app, store, address);
        }
        catch
        {
            if (app is not null) await app.DisposeAsync().ConfigureAwait(false);
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops accepting requests, lets those in flight finish, and closes the ledger.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            await Store.DisposeAsync().ConfigureAwait(false);
        }
    }
}
