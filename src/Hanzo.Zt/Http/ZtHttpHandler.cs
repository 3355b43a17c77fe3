using System.Net.Http;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Transport;
using Microsoft.AspNetCore.Connections;

namespace Hanzo.Zt.Http;

/// <summary>
/// <see cref="HttpClient"/> over Hanzo ZT: a <see cref="SocketsHttpHandler"/> whose connections are dialed on the
/// fabric to the service named by the request's host (<c>http://orders/api/items</c> dials the service
/// <c>orders</c>; the port is ignored). HTTP/1.1 and HTTP/2 (gRPC) run unchanged over the end-to-end encrypted
/// stream, so requests use <c>http://</c>: TLS at the HTTP layer would only encrypt twice.
/// </summary>
public static class ZtHttpHandler
{
    /// <summary>Creates a handler dialing through <paramref name="transports"/>' <c>zt</c> transport.</summary>
    public static SocketsHttpHandler Create(IZtTransportSelector transports)
    {
        ArgumentNullException.ThrowIfNull(transports);
        var handler = new SocketsHttpHandler();
        Configure(handler, transports.Select(new Uri("zt://service")));
        return handler;
    }

    /// <summary>Creates a handler dialing through <paramref name="context"/>.</summary>
    public static SocketsHttpHandler Create(ZtContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var handler = new SocketsHttpHandler();
        Configure(handler, new ZtTransport(context));
        return handler;
    }

    /// <summary>Makes <paramref name="handler"/> open its connections through <paramref name="transport"/>.</summary>
    public static void Configure(SocketsHttpHandler handler, IConnectionFactory transport)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(transport);
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var endpoint = new UriEndPoint(new Uri("zt://" + context.DnsEndPoint.Host));
            var connection = await transport.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return new ConnectionStream(connection);
        };
    }
}
