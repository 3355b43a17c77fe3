using System.Net;
using Hanzo.Zt.Transport;
using Microsoft.AspNetCore.Connections;

namespace Hanzo.Zt.AspNetCore;

/// <summary>
/// Lets Kestrel listen on <c>zt://service</c> endpoints: binding one binds the service on the fabric through the
/// transport registered for the <c>zt</c> scheme, and every connection dialed to the service arrives as a Kestrel
/// connection. No socket is opened for it; other endpoints are left to Kestrel's own transports. The endpoints
/// <c>zt://service/http1</c> and <c>zt://service/h2c</c> share one bind, split by the HTTP/2 preface.
/// </summary>
public sealed class ZtConnectionListenerFactory(IServiceProvider services) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <summary>The URI scheme this factory binds.</summary>
    public const string Scheme = "zt";

    internal const string Http1Path = "/http1";
    internal const string Http2Path = "/h2c";

    private readonly Dictionary<string, SharedBind> _shared = new(StringComparer.OrdinalIgnoreCase);

    private IZtTransportSelector Transports =>
        services.GetService(typeof(IZtTransportSelector)) as IZtTransportSelector
        ?? throw new ZtConfigurationException("UseHanzoZt needs the fabric: call services.AddHanzoZt() to register the zt transport");

    /// <inheritdoc />
    public bool CanBind(EndPoint endpoint) => endpoint is UriEndPoint { Uri.Scheme: Scheme };

    /// <inheritdoc />
    /// <exception cref="ZtConfigurationException">The endpoint is not a <c>zt://service</c> address, or no transport handles <c>zt</c>.</exception>
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not UriEndPoint { Uri: { Scheme: Scheme } uri })
        {
            throw new ZtConfigurationException($"endpoint '{endpoint}' is not a zt://service-name address");
        }

        var fabricEndpoint = new UriEndPoint(new Uri($"{Scheme}://{uri.Host}"));
        bool? http2 = uri.AbsolutePath switch
        {
            Http1Path => false,
            Http2Path => true,
            _ => null,
        };
        if (http2 is null)
        {
            return await Transports.Select(uri).BindAsync(fabricEndpoint, cancellationToken).ConfigureAwait(false);
        }

        SharedBind shared;
        lock (_shared)
        {
            // A second Bind of the same side means Kestrel rebinds after a stop: start a new fabric bind.
            if (!_shared.TryGetValue(uri.Host, out shared!) || shared.Taken(http2.Value))
            {
                shared = new SharedBind(() => Transports.Select(uri).BindAsync(fabricEndpoint, CancellationToken.None).AsTask());
                _shared[uri.Host] = shared;
            }

            shared.Take(http2.Value);
        }

        var split = await shared.Split.WaitAsync(cancellationToken).ConfigureAwait(false);
        return split.Side(endpoint, http2.Value);
    }

    private sealed class SharedBind(Func<Task<IConnectionListener>> bind)
    {
        private readonly Lazy<Task<ProtocolSplitListener>> _split = new(async () => new ProtocolSplitListener(await bind().ConfigureAwait(false)));
        private bool _http1;
        private bool _http2;

        public Task<ProtocolSplitListener> Split => _split.Value;

        public bool Taken(bool http2) => http2 ? _http2 : _http1;

        public void Take(bool http2)
        {
            if (http2) _http2 = true;
            else _http1 = true;
        }
    }
}
