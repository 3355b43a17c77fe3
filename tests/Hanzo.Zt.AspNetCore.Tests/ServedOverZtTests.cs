using Grpc.Core;
using Hanzo.Zt.AspNetCore.TestApp;
using Microsoft.Extensions.DependencyInjection;

namespace Hanzo.Zt.AspNetCore.Tests;

/// <summary>
/// A minimal API and a gRPC service served by Kestrel on a ZT service (<c>UseHanzoZt</c>) in their own process,
/// called over ZT from this one with <c>HttpClient</c> and a gRPC client (<c>AddHanzoZt()</c> on their builders).
/// </summary>
public sealed class ServedOverZtTests(ServedOverZtFixture fixture) : IClassFixture<ServedOverZtFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private ServiceProvider _client = null!;

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddHanzoZt(o =>
        {
            o.IdentityFile = fixture.Service.Client.IdentityFile;
            o.Billing.Enabled = false;
        });
        services.AddHttpClient("web", c => c.BaseAddress = new Uri($"http://{fixture.Service.Name}/")).AddHanzoZt();
        services.AddGrpcClient<Greeter.GreeterClient>(o => o.Address = new Uri($"http://{fixture.Service.Name}")).AddHanzoZt();
        _client = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task A_minimal_API_served_over_ZT_answers_an_HttpClient_over_ZT()
    {
        var http = _client.GetRequiredService<IHttpClientFactory>().CreateClient("web");

        string body = await http.GetStringAsync("hello/world").WaitAsync(Guard);

        body.ShouldBe("hello world over HTTP/1.1");
    }

    [Fact]
    public async Task A_minimal_API_served_over_ZT_answers_HTTP2_with_prior_knowledge()
    {
        var http = _client.GetRequiredService<IHttpClientFactory>().CreateClient("web");
        using var request = new HttpRequestMessage(HttpMethod.Get, "hello/h2") { Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.SendAsync(request).WaitAsync(Guard);

        response.Version.ShouldBe(System.Net.HttpVersion.Version20);
        (await response.Content.ReadAsStringAsync()).ShouldBe("hello h2 over HTTP/2");
    }

    [Fact]
    public async Task A_gRPC_service_served_over_ZT_answers_a_gRPC_client_over_ZT()
    {
        var greeter = _client.GetRequiredService<Greeter.GreeterClient>();

        var reply = await greeter.SayHelloAsync(new HelloRequest { Name = "grpc" }, deadline: DateTime.UtcNow + Guard);

        reply.Message.ShouldBe("hello grpc over HTTP/2");
    }

    [Fact]
    public async Task A_gRPC_client_without_a_Dial_policy_fails_with_the_fabric_refusal()
    {
        var stranger = await fixture.Network.CreateIdentityAsync("stranger-" + Guid.NewGuid().ToString("N")[..6]);
        var services = new ServiceCollection();
        services.AddHanzoZt(o =>
        {
            o.IdentityFile = stranger.IdentityFile;
            o.Billing.Enabled = false;
        });
        services.AddGrpcClient<Greeter.GreeterClient>(o => o.Address = new Uri($"http://{fixture.Service.Name}")).AddHanzoZt();
        await using var provider = services.BuildServiceProvider();

        var error = await Should.ThrowAsync<RpcException>(provider.GetRequiredService<Greeter.GreeterClient>().SayHelloAsync(new HelloRequest { Name = "x" }, deadline: DateTime.UtcNow + Guard).ResponseAsync);

        var cause = Unwrap(error).ShouldBeAssignableTo<ZtException>()!;
        cause.ErrorCode.ShouldBeOneOf(ZtErrorCode.AccessDenied, ZtErrorCode.ServiceNotFound);
        cause.Message.ShouldContain(fixture.Service.Name);
    }

    [Fact]
    public async Task The_serving_process_listens_on_no_TCP_port_while_the_fabric_does()
    {
        // Served and called first, so the check is of a process that is demonstrably serving.
        var http = _client.GetRequiredService<IHttpClientFactory>().CreateClient("web");
        (await http.GetStringAsync("hello/ports").WaitAsync(Guard)).ShouldBe("hello ports over HTTP/1.1");

        var served = await ListeningSockets.OfAsync(fixture.Server.Id);
        var fabric = await ListeningSockets.OfAsync(Environment.ProcessId);

        served.ShouldBeEmpty(fixture.Server.Transcript);
        fabric.ShouldContain($"127.0.0.1:{fixture.Network.ControllerUrl.Port}");
        fabric.ShouldContain($"127.0.0.1:{fixture.Network.RouterUrl.Port}");
    }

    private static Exception Unwrap(Exception e)
    {
        Exception current = e;
        while (current is not ZtException && current.InnerException is not null)
        {
            current = current.InnerException;
        }

        return current;
    }
}
