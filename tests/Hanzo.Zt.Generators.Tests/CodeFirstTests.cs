using System.Globalization;
using System.Text;
using Hanzo.Zt.Generators.Tests.Services;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>A [ZtService] interface: generated proxy and dispatcher over tcp://, and its .capnp text through the reference compiler.</summary>
public sealed class CodeFirstTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private sealed class Greeter : IGreeter
    {
        public int Pings { get; private set; }

        public Task<string> GreetAsync(string name, int times, CancellationToken cancellationToken) =>
            Task.FromResult(string.Join(" ", Enumerable.Repeat($"hello {name}", times)));

        public ValueTask<Person> OlderAsync(Person person, int years) =>
            ValueTask.FromResult(person with { Age = person.Age + years, Tags = [.. person.Tags, "older"] });

        public Task<List<Person>> TeamAsync(string[] names, CancellationToken cancellationToken) =>
            Task.FromResult(names.Select((n, i) => new Person(n, i, [])).ToList());

        public Task<byte[]> ReverseAsync(byte[] data) => Task.FromResult(data.Reverse().ToArray());

        public Task PingAsync(CancellationToken cancellationToken)
        {
            Pings++;
            return Task.CompletedTask;
        }

        public ValueTask<long> SumAsync(IReadOnlyList<long> values, bool negate) =>
            ValueTask.FromResult(negate ? -values.Sum() : values.Sum());
    }

    private static async Task<T> RunAsync<T>(Greeter implementation, Func<IGreeter, Task<T>> call)
    {
        using var bootstrap = ZapCapability.FromServer(new GreeterServer(implementation));
        await using var listener = await ZapListener.BindAsync(new Uri("tcp://127.0.0.1:0"), bootstrap);
        await using var connection = await ZapClient.ConnectAsync(new Uri($"tcp://{listener.EndPoint}"));
        using var client = new GreeterClient(connection.Bootstrap());
        return await call(client).WaitAsync(HangGuard);
    }

    [Fact]
    public async Task Strings_and_numbers_cross_the_wire()
    {
        (await RunAsync(new Greeter(), g => g.GreetAsync("ada", 2, CancellationToken.None))).ShouldBe("hello ada hello ada");
    }

    [Fact]
    public async Task A_record_with_a_list_goes_and_comes_back()
    {
        var older = await RunAsync(new Greeter(), g => g.OlderAsync(new Person("ada", 36, ["math"]), 1).AsTask());

        older.ShouldBe(new Person("ada", 37, ["math", "older"]), new PersonComparer());
    }

    [Fact]
    public async Task Lists_of_records_and_arrays_of_strings_cross_the_wire()
    {
        var team = await RunAsync(new Greeter(), g => g.TeamAsync(["a", "b"], CancellationToken.None));

        team.Select(p => (p.Name, p.Age)).ShouldBe([("a", 0), ("b", 1)]);
    }

    [Fact]
    public async Task Bytes_and_void_methods_work()
    {
        var greeter = new Greeter();
        var reversed = await RunAsync(greeter, async g =>
        {
            await g.PingAsync(CancellationToken.None);
            return await g.ReverseAsync([1, 2, 3]);
        });

        reversed.ShouldBe(new byte[] { 3, 2, 1 });
        greeter.Pings.ShouldBe(1);
    }

    [Fact]
    public async Task An_explicit_method_ordinal_is_used()
    {
        (await RunAsync(new Greeter(), g => g.SumAsync([1, 2, 3], negate: true).AsTask())).ShouldBe(-6);
        GreeterSchema.CapnpText.ShouldContain("sum @5 (values :List(Int64), negate :Bool) -> (result :Int64);");
    }

    [Fact]
    public async Task The_reference_compiler_accepts_the_generated_capnp_with_the_same_ids()
    {
        string dir = Directory.CreateTempSubdirectory("zt-capnp-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "Greeter.capnp"), GreeterSchema.CapnpText);
            byte[] request = await ReferenceTool.RunInAsync(dir, [], "compile", "-o-", "Greeter.capnp");
            string decoded = Encoding.UTF8.GetString(await ReferenceTool.RunInAsync(dir, request, "decode", "--short", "/usr/include/capnp/schema.capnp", "CodeGeneratorRequest"));

            decoded.ShouldContain($"id = {GreeterSchema.InterfaceId.ToString(CultureInfo.InvariantCulture)}, displayName = \"Greeter.capnp:Greeter\"");
            decoded.ShouldContain($"id = {GreeterSchema.Person.TypeId.ToString(CultureInfo.InvariantCulture)}, displayName = \"Greeter.capnp:Person\"");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_service_is_registered_for_dependency_injection_without_reflection()
    {
        ZapServiceRegistry.IsRegistered<IGreeter>().ShouldBeTrue();
        using var client = (GreeterClient)ZapServiceRegistry.CreateClient<IGreeter>(ZapCapability.Null());
        ZapServiceRegistry.CreateServer<IGreeter>(new Greeter()).ShouldBeOfType<GreeterServer>();
    }

    private sealed class PersonComparer : IEqualityComparer<Person>
    {
        public bool Equals(Person? x, Person? y) => x!.Name == y!.Name && x.Age == y.Age && x.Tags.SequenceEqual(y.Tags);

        public int GetHashCode(Person obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
