using Hanzo.Zt.Controller;
using Hanzo.Zt.Router;
using Hanzo.Zt.Testing;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// A <see cref="ZtTestNetwork"/> (controller and edge router in process, on loopback) with the relay recorded, and
/// helpers to make enrolled identities, services and policies. Shared by the tests of a class; tests use unique names.
/// </summary>
public sealed class FabricFixture : IAsyncLifetime
{
    private ZtTestNetwork _network = null!;

    public string Root => _network.Root;

    public ControllerHost Controller => _network.Controller;

    internal AdminApi Admin { get; private set; } = null!;

    public RouterHost Router => _network.Router;

    public Uri RouterUrl => _network.RouterUrl;

    /// <summary>Payloads the router relayed while recording.</summary>
    public RelayLog Relayed { get; } = new();

    public async Task InitializeAsync()
    {
        _network = await ZtTestNetwork.StartAsync(new ZtTestNetworkOptions
        {
            AdminPassword = AdminApi.Password,
            ConfigureRouter = router => router.RelayObserver = Relayed.Append,
            StartLedger = false,
        });
        Admin = await AdminApi.LoginAsync(Controller.Url, Controller.CaCertificate);
    }

    /// <summary>Creates and enrolls an identity; returns its id and identity file path.</summary>
    public async Task<(string Id, string File)> EnrollAsync(string name)
    {
        var identity = await _network.CreateIdentityAsync(name);
        return (identity.Id, identity.IdentityFile);
    }

    /// <summary>A service with a host identity allowed to bind it and a client identity allowed to dial it.</summary>
    public async Task<ServiceSetup> CreateServiceAsync(string prefix, bool dialPolicy = true)
    {
        string service = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        await Admin.CreateServiceAsync(service);
        var host = await EnrollAsync(service + "-host");
        var client = await EnrollAsync(service + "-client");
        await Admin.CreatePolicyAsync("Bind", service + "-host", service);
        if (dialPolicy)
        {
            await Admin.CreatePolicyAsync("Dial", service + "-client", service);
        }

        return new ServiceSetup(service, host.Id, host.File, client.Id, client.File);
    }

    public static int FreePort() => ZtTestNetwork.FreePort();

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        await _network.DisposeAsync();
    }
}


/// <summary>What the router relayed while recording, for tests that check it never held plaintext.</summary>
public sealed class RelayLog
{
    private readonly MemoryStream _bytes = new();
    private volatile bool _recording;

    /// <summary>Starts recording from now on, forgetting what came before.</summary>
    public void Record()
    {
        lock (_bytes)
        {
            _bytes.SetLength(0);
            _recording = true;
        }
    }

    public void Append(ReadOnlyMemory<byte> payload)
    {
        if (!_recording)
        {
            return;
        }

        lock (_bytes)
        {
            _bytes.Write(payload.Span);
        }
    }

    public byte[] Snapshot()
    {
        lock (_bytes)
        {
            return _bytes.ToArray();
        }
    }
}
