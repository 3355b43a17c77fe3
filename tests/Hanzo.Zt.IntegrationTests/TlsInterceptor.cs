using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// A man in the middle: terminates TLS on a port with its own certificate and relays the plaintext to the real
/// server over a second TLS connection, recording every byte the client sends (as an interceptor would read it).
/// </summary>
internal sealed class TlsInterceptor : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly int _targetPort;
    private readonly StringBuilder _seen = new();
    private readonly CancellationTokenSource _stop = new();

    public TlsInterceptor(int port, int targetPort)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Hanzo ZT Controller, O=Hanzo ZT", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pkcs12), null);
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>Everything clients sent through the interceptor, decrypted.</summary>
    public string Seen
    {
        get
        {
            lock (_seen)
            {
                return _seen.ToString();
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await using var front = new SslStream(client.GetStream());
                await front.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                await using var back = new SslStream(upstream.GetStream(), false, (_, _, _, _) => true);
                await back.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" }, _stop.Token);
                var up = PumpAsync(front, back, record: true);
                var down = PumpAsync(back, front, record: false);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException)
            {
                // The client gave up (as it should on seeing this certificate) or the test ended.
            }
        }
    }

    private async Task PumpAsync(Stream from, Stream to, bool record)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (record)
            {
                lock (_seen)
                {
                    _seen.Append(Encoding.Latin1.GetString(buffer, 0, read));
                }
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        _certificate.Dispose();
        return ValueTask.CompletedTask;
    }
}
