using Hanzo.Zt.Controller.PostgreSql;
using Hanzo.Zt.Testing;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>Controllers of one cluster on one PostgreSQL database, in this process.</summary>
public sealed class SharedStoreTestsOnPostgreSql
{
    private static ControllerOptions ClusterOptions(string connectionString, string? key = ControllerFixture.ClusterKey)
    {
        var options = ControllerFixture.Options(dataDirectory: "").UsePostgreSql(connectionString);
        options.MasterKey = key;
        return options;
    }

    [Fact]
    public async Task Controllers_started_together_on_an_empty_database_create_one_CA_and_signing_key()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        var options = Enumerable.Range(0, 3).Select(_ => ClusterOptions(database)).ToList();

        var hosts = await Task.WhenAll(options.Select(o => ControllerHost.StartAsync(o)));
        try
        {
            hosts.Select(h => h.CaCertificate.Thumbprint).Distinct().Count().ShouldBe(1);
            hosts.Select(h => h.SigningKeys.ToJson()).Distinct().Count().ShouldBe(1);
            var admin = await ZtApi.LoginAsync(ZtApi.Create(hosts[0]), "admin", ControllerFixture.AdminPassword);
            (await admin.GetAsync("/edge/management/v1/identities?filter=name%3D%22admin%22")).Data.GetArrayLength().ShouldBe(1);
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_controller_given_another_key_refuses_the_shared_store()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await (await ControllerHost.StartAsync(ClusterOptions(database))).DisposeAsync();

        var error = await Should.ThrowAsync<ZtConfigurationException>(() => ControllerHost.StartAsync(ClusterOptions(database, "another-key")));

        error.Message.ShouldContain("does not decrypt");
    }

    [Fact]
    public async Task A_controller_on_a_shared_store_without_a_key_is_refused_before_connecting()
    {
        var options = ClusterOptions("Host=127.0.0.1;Port=1;Database=none;Username=none", key: null);

        var error = await Should.ThrowAsync<ZtConfigurationException>(() => ControllerHost.StartAsync(options));

        error.Message.ShouldContain("ZT_CONTROLLER_KEY");
    }
}
