using Hanzo.Zt.DependencyInjection;
using Hanzo.Zt.Generators.Tests.Schemas;
using Hanzo.Zt.Generators.Tests.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>AddZapService and AddZapClient: generated types wired through DI, talking over tcp://.</summary>
public sealed class DependencyInjectionTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    internal sealed class AddingGreeter : IGreeter
    {
        public Task<string> GreetAsync(string name, int times, CancellationToken cancellationToken) => Task.FromResult($"hi {name}");

        public ValueTask<Person> OlderAsync(Person person, int years) => ValueTask.FromResult(person);

        public Task<List<Person>> TeamAsync(string[] names, CancellationToken cancellationToken) => Task.FromResult(new List<Person>());

        public Task<byte[]> ReverseAsync(byte[] data) => Task.FromResult(data);

        public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask<long> SumAsync(IReadOnlyList<long> values, bool negate) => ValueTask.FromResult(values.Sum());
    }

    internal sealed class Echoing : IEcho
    {
        public ValueTask<string> EchoAsync(string text, uint times, CancellationToken cancellationToken) => ValueTask.FromResult(text);

        public ValueTask<(long Total, uint Count)> SumAsync(Capnp.PrimitiveList<long> values, CancellationToken cancellationToken) => ValueTask.FromResult((0L, 0u));

        public ValueTask<ICounter> CounterAsync(int start, CancellationToken cancellationToken) => throw new NotSupportedException("not used here");

        public ValueTask<ReadOnlyMemory<byte>> ReverseAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.FromResult(data);

        public ValueTask FailAsync(string message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private static async Task<ServiceProvider> StartAsync(Action<IZtBuilder> configure)
    {
        var services = new ServiceCollection();
        configure(services.AddHanzoZt());
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None).WaitAsync(HangGuard);
        }

        return provider;
    }

    [Fact]
    public async Task A_ZtService_registered_by_interface_is_called_through_an_injected_client()
    {
        await using var server = await StartAsync(zt => zt.AddZapService<IGreeter, AddingGreeter>("tcp://127.0.0.1:0"));
        var endpoint = await server.GetRequiredService<ZapServiceHost<IGreeter>>().WhenBound.WaitAsync(HangGuard);
        await using var client = await StartAsync(zt => zt.AddZapClient<IGreeter>($"tcp://{endpoint}"));

        var greeter = client.GetRequiredService<IGreeter>();

        greeter.ShouldBeOfType<GreeterClient>();
        (await greeter.GreetAsync("di", 1, CancellationToken.None).WaitAsync(HangGuard)).ShouldBe("hi di");
    }

    [Fact]
    public async Task A_schema_interface_is_served_and_called_through_dependency_injection()
    {
        await using var server = await StartAsync(zt => zt.AddZapService<IEcho, Echoing>("tcp://127.0.0.1:0"));
        var endpoint = await server.GetRequiredService<ZapServiceHost<IEcho>>().WhenBound.WaitAsync(HangGuard);
        await using var client = await StartAsync(zt => zt.AddZapClient<IEcho>($"tcp://{endpoint}"));

        var echo = client.GetRequiredService<IEcho>();

        (await echo.EchoAsync("schema", 1, CancellationToken.None).AsTask().WaitAsync(HangGuard)).ShouldBe("schema");
    }

    [Fact]
    public void A_type_without_generated_code_is_refused_when_registered()
    {
        var services = new ServiceCollection();

        Should.Throw<ZtConfigurationException>(() => services.AddHanzoZt().AddZapClient<IDisposable>("tcp://127.0.0.1:1"));
    }

    [Fact]
    public async Task A_client_resolved_before_anything_starts_connects_on_its_first_call()
    {
        var services = new ServiceCollection();
        services.AddHanzoZt().AddZapClient<IGreeter>("tcp://127.0.0.1:1");
        await using var provider = services.BuildServiceProvider();

        var greeter = provider.GetRequiredService<IGreeter>();

        provider.GetRequiredService<ZapClientConnection<IGreeter>>().Channel.IsConnected.ShouldBeFalse();
        await Should.ThrowAsync<ZtConnectionException>(greeter.PingAsync(CancellationToken.None).WaitAsync(HangGuard));
    }
}
