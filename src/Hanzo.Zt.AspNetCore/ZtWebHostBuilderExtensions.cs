using Hanzo.Zt.AspNetCore;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Serves an ASP.NET Core application on a Hanzo ZT service.</summary>
public static class ZtWebHostBuilderExtensions
{
    /// <summary>
    /// Makes Kestrel serve on the ZT service <paramref name="service"/> instead of a TCP port: the application is
    /// reachable only by identities a Dial policy admits, through a router, with no listening socket of its own.
    /// HTTP/1.1 and HTTP/2 (gRPC, with prior knowledge) are both served on the one service, in clear text at the
    /// HTTP layer: the fabric's end-to-end TLS between the two identities already protects the stream. Endpoints
    /// configured in code replace the default <c>http://localhost:5000</c> and <c>ASPNETCORE_URLS</c>; call more
    /// than once to serve several services. The fabric itself (identity, controller, the <c>zt</c> transport)
    /// comes from <c>services.AddHanzoZt()</c>.
    /// </summary>
    /// <param name="builder">The web host builder (<c>WebApplicationBuilder.WebHost</c>).</param>
    /// <param name="service">The ZT service to bind; the identity needs a Bind policy for it.</param>
    /// <param name="protocols">The HTTP versions to serve: <see cref="HttpProtocols.Http1"/>, <see cref="HttpProtocols.Http2"/> or both (the default).</param>
    /// <param name="configure">Adjusts the Kestrel endpoint(s) (connection middleware, limits).</param>
    /// <exception cref="ArgumentException">The service name is not a valid name, or <paramref name="protocols"/> includes HTTP/3.</exception>
    public static IWebHostBuilder UseHanzoZt(this IWebHostBuilder builder, string service, HttpProtocols protocols = HttpProtocols.Http1AndHttp2, Action<ListenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Validate(service);
        var endpoints = protocols switch
        {
            HttpProtocols.Http1 => [(Path: "", Protocols: HttpProtocols.Http1)],
            HttpProtocols.Http2 => [(Path: "", Protocols: HttpProtocols.Http2)],
            HttpProtocols.Http1AndHttp2 => new[]
            {
                (Path: ZtConnectionListenerFactory.Http1Path, Protocols: HttpProtocols.Http1),
                (Path: ZtConnectionListenerFactory.Http2Path, Protocols: HttpProtocols.Http2),
            },
            _ => throw new ArgumentException($"a ZT service serves HTTP/1.1 and HTTP/2, not {protocols}", nameof(protocols)),
        };

        builder.ConfigureServices(services =>
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnectionListenerFactory, ZtConnectionListenerFactory>()));
        builder.ConfigureKestrel(kestrel =>
        {
            foreach (var (path, httpProtocols) in endpoints)
            {
                kestrel.Listen(new UriEndPoint(new Uri($"{ZtConnectionListenerFactory.Scheme}://{service}{path}")), listen =>
                {
                    configure?.Invoke(listen);
                    listen.Protocols = httpProtocols;
                });
            }
        });
        return builder;
    }

    private static void Validate(string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        if (Uri.CheckHostName(service) != UriHostNameType.Dns)
        {
            throw new ArgumentException($"'{service}' is not a ZT service name (letters, digits, '-' and '.')", nameof(service));
        }
    }
}
