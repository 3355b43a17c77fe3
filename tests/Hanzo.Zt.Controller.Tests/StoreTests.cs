using Hanzo.Zt.Controller.PostgreSql;
using Hanzo.Zt.Controller.Store;
using Hanzo.Zt.Controller.Store.Sqlite;
using Hanzo.Zt.Testing;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>What every store guarantees, run on each store.</summary>
public abstract class StoreTests : IAsyncLifetime
{
    private protected IControllerStore Store { get; private set; } = null!;

    private protected abstract Task<IControllerStore> OpenAsync();

    public async Task InitializeAsync()
    {
        Store = await OpenAsync();
        await Store.MigrateAsync();
    }

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task Migrations_are_versioned_and_idempotent()
    {
        var version = await Store.GetSchemaVersionAsync();
        await Store.MigrateAsync();

        version.ShouldBeGreaterThanOrEqualTo(1);
        (await Store.GetSchemaVersionAsync()).ShouldBe(version);
    }

    [Fact]
    public async Task An_update_from_a_stale_version_is_a_conflict()
    {
        var created = await Store.Services.CreateAsync(new ServiceRecord { Id = "s1", Name = "one" });
        var first = await Store.Services.UpdateAsync(created with { RoleAttributes = ["a"] });

        await Should.ThrowAsync<StoreConflictException>(() => Store.Services.UpdateAsync(created with { RoleAttributes = ["b"] }));

        first.Version.ShouldBe(2);
        (await Store.Services.GetAsync("s1"))!.RoleAttributes.ShouldBe(["a"]);
    }

    [Fact]
    public async Task Names_and_lookup_keys_are_unique()
    {
        await Store.Identities.CreateAsync(new IdentityRecord { Id = "i1", Name = "same", ExternalId = "x" });

        (await Should.ThrowAsync<StoreDuplicateException>(() => Store.Identities.CreateAsync(new IdentityRecord { Id = "i2", Name = "same" }))).Field.ShouldBe("name");
        (await Should.ThrowAsync<StoreDuplicateException>(() => Store.Identities.CreateAsync(new IdentityRecord { Id = "i3", Name = "other", ExternalId = "x" }))).Field.ShouldBe("externalId");
        (await Should.ThrowAsync<StoreDuplicateException>(() => Store.Identities.CreateAsync(new IdentityRecord { Id = "i1", Name = "third" }))).Field.ShouldBe("id");
        (await Store.Identities.FindByLookupAsync("x"))!.Id.ShouldBe("i1");
    }

    [Fact]
    public async Task Owned_entities_are_listed_and_deleted_by_owner()
    {
        foreach (var i in Enumerable.Range(0, 3))
            await Store.Sessions.CreateAsync(new SessionRecord { Id = $"s{i}", Name = $"s{i}", ApiSessionId = i < 2 ? "a1" : "a2" });

        (await Store.Sessions.ListByOwnerAsync("a1")).Count.ShouldBe(2);
        (await Store.Sessions.DeleteByOwnerAsync("a1")).ShouldBe(2);
        (await Store.Sessions.ListAsync()).Select(s => s.Id).ShouldBe(["s2"]);
    }

    [Fact]
    public async Task Queries_page_by_name_and_count_every_match()
    {
        foreach (var name in new[] { "alpha", "beta", "alphabet", "gamma" })
            await Store.Services.CreateAsync(new ServiceRecord { Id = name, Name = name });

        var page = await Store.Services.QueryAsync(new EntityQuery(Limit: 1, Offset: 1, NameContains: "ALPHA"));
        page.TotalCount.ShouldBe(2);
        page.Items.Select(s => s.Name).ShouldBe(["alphabet"]);
        (await Store.Services.QueryAsync(new EntityQuery(Offset: 10))).TotalCount.ShouldBe(4);
    }

    [Fact]
    public async Task A_transaction_that_throws_writes_nothing()
    {
        await Should.ThrowAsync<InvalidOperationException>(() => Store.InTransactionAsync<bool>(async (tx, ct) =>
        {
            await tx.Services.CreateAsync(new ServiceRecord { Id = "t1", Name = "t1" }, ct);
            await tx.Sessions.CreateAsync(new SessionRecord { Id = "t2", Name = "t2", ApiSessionId = "a" }, ct);
            throw new InvalidOperationException("abandon");
        }));

        (await Store.Services.GetAsync("t1")).ShouldBeNull();
        (await Store.Sessions.GetAsync("t2")).ShouldBeNull();
    }

    [Fact]
    public async Task A_refused_write_inside_a_transaction_leaves_the_rest_usable()
    {
        await Store.Services.CreateAsync(new ServiceRecord { Id = "d1", Name = "taken" });

        await Store.InTransactionAsync(async (tx, ct) =>
        {
            await Should.ThrowAsync<StoreDuplicateException>(() => tx.Services.CreateAsync(new ServiceRecord { Id = "d2", Name = "taken" }, ct));
            return await tx.Services.CreateAsync(new ServiceRecord { Id = "d3", Name = "free" }, ct);
        });

        (await Store.Services.GetAsync("d3")).ShouldNotBeNull();
        (await Store.Services.GetAsync("d2")).ShouldBeNull();
    }

    [Fact]
    public async Task Settings_added_together_are_added_once()
    {
        (await Store.TryAddSettingsAsync(new Dictionary<string, byte[]> { ["a"] = [1], ["b"] = [2] })).ShouldBeTrue();

        (await Store.TryAddSettingsAsync(new Dictionary<string, byte[]> { ["c"] = [3], ["b"] = [4] })).ShouldBeFalse();

        (await Store.GetSettingAsync("b")).ShouldBe(new byte[] { 2 });
        (await Store.GetSettingAsync("c")).ShouldBeNull();
    }

    [Fact]
    public async Task The_revocation_feed_resumes_after_the_last_position_read()
    {
        foreach (var i in Enumerable.Range(0, 5))
            await Store.Revocations.CreateAsync(new RevocationRecord { Id = $"r{i}", Name = $"r{i}", Type = "SESSION", Target = $"t{i}" });

        var first = await Store.ReadRevocationsAfterAsync(0, 3);
        var rest = await Store.ReadRevocationsAfterAsync(first[^1].Sequence, 100);

        first.Select(r => r.Target).ShouldBe(["t0", "t1", "t2"]);
        rest.Select(r => r.Target).ShouldBe(["t3", "t4"]);
        rest[0].Sequence.ShouldBeGreaterThan(first[^1].Sequence);
    }
}

public sealed class StoreTestsOnSqlite : StoreTests
{
    private readonly string _dir = Create();

    private protected override Task<IControllerStore> OpenAsync() =>
        Task.FromResult<IControllerStore>(new SqliteControllerStore(Path.Combine(_dir, "test.db")));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Delete(_dir);
    }
}

public sealed class StoreTestsOnPostgreSql : StoreTests
{
    private string _connectionString = "";

    private protected override async Task<IControllerStore> OpenAsync()
    {
        _connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        return new PostgreSqlControllerStore(_connectionString);
    }

    [Fact]
    public async Task Controllers_migrating_one_database_at_once_apply_each_migration_once()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgreSqlControllerStore(_connectionString)).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => s.MigrateAsync()));
            foreach (var store in stores) (await store.GetSchemaVersionAsync()).ShouldBe(await Store.GetSchemaVersionAsync());
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Of_stores_adding_the_same_settings_at_once_exactly_one_succeeds()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgreSqlControllerStore(_connectionString)).ToList();
        try
        {
            var results = await Task.WhenAll(stores.Select((s, i) =>
                s.TryAddSettingsAsync(new Dictionary<string, byte[]> { ["race.a"] = [(byte)i], ["race.b"] = [(byte)i] })));

            results.Count(r => r).ShouldBe(1);
            var winner = (byte)Array.IndexOf(results, true);
            (await Store.GetSettingAsync("race.a")).ShouldBe(new[] { winner });
            (await Store.GetSettingAsync("race.b")).ShouldBe(new[] { winner });
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Concurrent_revocations_from_several_stores_are_all_read_in_order_by_a_polling_reader()
    {
        var stores = Enumerable.Range(0, 3).Select(_ => new PostgreSqlControllerStore(_connectionString)).ToList();
        try
        {
            var seen = new List<RevocationRecord>();
            long cursor = 0;
            var writers = Task.WhenAll(stores.Select((s, w) => Task.Run(async () =>
            {
                for (var i = 0; i < 40; i++)
                    await s.Revocations.CreateAsync(new RevocationRecord { Id = $"w{w}-{i}", Name = $"w{w}-{i}", Type = "SESSION", Target = $"w{w}-{i}" });
            })));
            while (!writers.IsCompleted)
            {
                var page = await Store.ReadRevocationsAfterAsync(cursor, 7);
                seen.AddRange(page);
                if (page.Count > 0) cursor = page[^1].Sequence;
            }
            await writers;
            seen.AddRange(await Store.ReadRevocationsAfterAsync(cursor, 1000));

            seen.Select(r => r.Id).Distinct().Count().ShouldBe(120);
            seen.Select(r => r.Sequence).ShouldBeInOrder(SortDirection.Ascending);
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }
}
