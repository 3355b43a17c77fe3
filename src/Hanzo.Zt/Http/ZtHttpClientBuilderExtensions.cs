using Hanzo.Zt;
using Hanzo.Zt.Http;
using Hanzo.Zt.Transport;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Sends a named or typed <see cref="System.Net.Http.HttpClient"/>'s requests over Hanzo ZT.</summary>
public static class ZtHttpClientBuilderExtensions
{
    /// <summary>
    /// Makes the client's primary handler dial the ZT service named by each request's host: <c>http://orders/…</c>
    /// goes to the service <c>orders</c> through the fabric. Works for clients from <c>AddHttpClient</c> and
    /// <c>AddGrpcClient</c> alike. The <c>zt</c> transport comes from <c>services.AddHanzoZt()</c>.
    /// </summary>
    public static IHttpClientBuilder AddHanzoZt(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigurePrimaryHttpMessageHandler(sp => ZtHttpHandler.Create(
            sp.GetService<IZtTransportSelector>()
            ?? throw new ZtConfigurationException($"HttpClient '{builder.Name}' sends over ZT: call services.AddHanzoZt() to register the zt transport")));
    }
}
