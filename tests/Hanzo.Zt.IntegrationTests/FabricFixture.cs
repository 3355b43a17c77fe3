using System.Net;
using System.Net.Sockets;
using Hanzo.Zt.Controller;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Router;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>
/// A controller and an in-process edge router on loopback, with helpers to make enrolled identities, services
/// and policies. Shared by the tests of a class; tests use unique names.
/// </summary>
public sealed class FabricFixture : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("hanzo-zt-fabric-").FullName;

    public ControllerHost Controller { get; private set; } = null!;

    internal AdminApi Admin { get; private set; } = null!;

    public RouterHost Router { get; private set; } = null!;

    public Uri RouterUrl { get; private set; } = null!;

    /// <summary>Payloads the router relayed while recording.</summary>
    public RelayLog Relayed { get; } = new();

    public async Task InitializeAsync()
    {
        Controller = await ControllerHost.StartAsync(new ControllerOptions
        {
            DataDirectory = Path.Combine(Root, "controller"),
            Url = "https://127.0.0.1:0",
            AdminPassword = AdminApi.Password,
            PasswordIterations = 1000,
        });
        Admin = await AdminApi.LoginAsync(Controller.Url, Controller.CaCertificate);
        RouterUrl = new Uri($"tls://127.0.0.1:{FreePort()}");
        string jwt = await Admin.CreateRouterAsync("router-" + Guid.NewGuid().ToString("N")[..6], RouterUrl);
        Router = await RouterHost.StartAsync(new RouterOptions
        {
            DataDirectory = Path.Combine(Root, "router"),
            Listen = RouterUrl,
            EnrollmentJwt = jwt,
            ControllerPollInterval = TimeSpan.FromMilliseconds(200),
            RelayObserver = Relayed.Append,
        });
    }

    /// <summary>Creates and enrolls an identity; returns its id and identity file path.</summary>
    public async Task<(string Id, string File)> EnrollAsync(string name)
    {
        var (id, jwt) = await Admin.CreateIdentityAsync(name);
        string file = Path.Combine(Root, name + ".json");
        await ZtContext.EnrollAsync(jwt, file);
        return (id, file);
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

    public static int FreePort()
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await Controller.DisposeAsync();
        Admin.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed record ServiceSetup(string Service, string HostId, string HostIdentity, string ClientId, string ClientIdentity);

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
