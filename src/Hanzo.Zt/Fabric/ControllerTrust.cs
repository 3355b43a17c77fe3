using System.Security.Cryptography.X509Certificates;

namespace Hanzo.Zt.Fabric;

/// <summary>
/// Where the controller's CA comes from: an enrolled identity's CA, a configured PEM
/// (<c>HanzoZt:ControllerCa</c>), or, for a controller with a publicly trusted TLS certificate, its
/// <c>/.well-known/est/cacerts</c> fetched over TLS the system trusts. Never trust on first use: a JWT sign-in
/// has no controller-signed token to bind a fetched CA to.
/// </summary>
internal sealed class ControllerTrust
{
    private readonly Uri? _controller;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private X509Certificate2? _ca;

    private ControllerTrust(X509Certificate2? ca, Uri? controller, TimeSpan timeout)
    {
        _ca = ca;
        _controller = controller;
        _timeout = timeout;
    }

    /// <summary>A known CA.</summary>
    public static ControllerTrust Of(X509Certificate2 ca) => new(ca, null, default);

    /// <summary>The CA in a PEM file or in PEM text.</summary>
    /// <exception cref="ZtConfigurationException">Neither a readable file nor PEM text holding a certificate.</exception>
    public static ControllerTrust FromPem(string fileOrPem)
    {
        try
        {
            string pem = fileOrPem.Contains("-----BEGIN", StringComparison.Ordinal) ? fileOrPem : File.ReadAllText(fileOrPem);
            return Of(X509Certificate2.CreateFromPem(pem));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ZtConfigurationException($"HanzoZt:ControllerCa is neither a readable PEM file nor a PEM certificate: {e.Message}", e);
        }
    }

    /// <summary>The CA fetched from <paramref name="controller"/> over TLS the system trusts.</summary>
    public static ControllerTrust FromSystemTrust(Uri controller, TimeSpan timeout) => new(null, controller, timeout);

    public async Task<X509Certificate2> GetAsync(CancellationToken cancellationToken)
    {
        if (_ca is { } known)
        {
            return known;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ca is null)
            {
                using var http = new HttpClient { BaseAddress = _controller, Timeout = _timeout };
                string pem;
                try
                {
                    pem = await http.GetStringAsync("/edge/client/v1/.well-known/est/cacerts", cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    throw new ZtControllerException(
                        $"the CA of the controller at {_controller} could not be fetched over system-trusted TLS ({e.Message}); set HanzoZt:ControllerCa to the controller's CA certificate",
                        innerException: e);
                }

                _ca = X509Certificate2.CreateFromPem(pem);
            }

            return _ca;
        }
        finally
        {
            _lock.Release();
        }
    }
}
