using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Testing;

[assembly: TestFramework("Hanzo.Zt.Testing.PostgresTestFramework", "Hanzo.Zt.IntegrationTests")]

namespace Hanzo.Zt.IntegrationTests;

/// <summary>Two <c>zt controller run</c> processes on one PostgreSQL database, started together on it while empty.</summary>
public sealed class ControllerClusterFixture : IAsyncLifetime
{
    internal ProcessCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ProcessCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Controllers sharing PostgreSQL act as one: what one issues or records, the other honours.</summary>
public sealed class ControllerClusterTestsOnPostgreSql(ControllerClusterFixture fixture) : IClassFixture<ControllerClusterFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private ProcessCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Controllers_started_together_on_an_empty_database_share_one_CA_and_one_signing_key()
    {
        using var http = Cluster.CreateHttp();
        var cas = await Task.WhenAll(Cluster.ControllerUrls.Select(u => http.GetStringAsync(new Uri(u, "/edge/client/v1/.well-known/est/cacerts"))));
        var keys = await Task.WhenAll(Cluster.ControllerUrls.Select(u => http.GetStringAsync(new Uri(u, "/edge/client/v1/.well-known/jwks"))));

        cas.Distinct().Count().ShouldBe(1);
        keys.Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task An_identity_enrolled_through_one_controller_authenticates_through_the_other()
    {
        string name = "enrolled-" + Guid.NewGuid().ToString("N")[..6];
        var (id, jwt) = await Cluster.Admins[0].CreateIdentityAsync(name);
        string file = Path.Combine(Cluster.Root, id + ".json");
        await ZtContext.EnrollAsync(jwt, file);
        var options = new ZtContextOptions();
        options.ControllerUrls.Add(Cluster.ControllerUrls[1]);
        await using var context = ZtContext.FromIdentityFile(file, options);

        await context.AuthenticateAsync().WaitAsync(Guard);

        var authenticated = (await context.Events.ReadAsync().AsTask().WaitAsync(Guard)).ShouldBeOfType<Events.AuthenticatedEvent>();
        authenticated.Identity.ShouldBe(name);
    }

    [Fact]
    public async Task An_API_session_from_one_controller_is_accepted_by_the_other()
    {
        string token = await Cluster.LoginAsync(Cluster.ControllerUrls[0], "admin", AdminApi.Password);
        using var http = Cluster.CreateHttp();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Cluster.ControllerUrls[1], "/edge/client/v1/current-identity"));
        request.Headers.Add("zt-session", token);

        using var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("name").GetString().ShouldBe("admin");
    }

    [Fact]
    public async Task A_revocation_made_through_one_controller_is_in_the_other_controllers_feed()
    {
        using var http = Cluster.CreateHttp();
        var before = await FeedAsync(http, Cluster.ControllerUrls[1], after: 0);
        long cursor = before.Count == 0 ? 0 : before.Max(r => r.Sequence);
        var (target, _) = await Cluster.Admins[0].CreateIdentityAsync("revoked-" + Guid.NewGuid().ToString("N")[..6]);

        await Cluster.Admins[0].RevokeIdentityAsync(target);

        var fresh = await FeedAsync(http, Cluster.ControllerUrls[1], cursor);
        fresh.Select(r => r.Target).ShouldContain(target);
        fresh.ShouldAllBe(r => r.Sequence > cursor);
    }

    [Fact]
    public async Task Concurrent_policy_edits_through_both_controllers_with_If_Match_lose_no_update()
    {
        var policy = await Cluster.Admins[0].PostAsync("service-policies", new
        {
            name = "edited-" + Guid.NewGuid().ToString("N")[..6], type = "Dial", semantic = "AnyOf",
            serviceRoles = new[] { "#all" }, identityRoles = Array.Empty<string>(),
        });
        string path = "/edge/management/v1/service-policies/" + policy.GetProperty("id").GetString();
        var tokens = await Task.WhenAll(Cluster.ControllerUrls.Select(u => Cluster.LoginAsync(u, "admin", AdminApi.Password)));
        const int editorsPerController = 3, editsPerEditor = 8;
        int preconditionFailures = 0;

        await Task.WhenAll(Cluster.ControllerUrls.SelectMany((url, c) => Enumerable.Range(0, editorsPerController).Select(e => Task.Run(async () =>
        {
            using var http = Cluster.CreateHttp();
            for (int i = 0; i < editsPerEditor; i++)
            {
                string role = $"#c{c}-e{e}-{i}";
                while (true)
                {
                    using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(url, path));
                    get.Headers.Add("zt-session", tokens[c]);
                    using var read = await http.SendAsync(get);
                    read.EnsureSuccessStatusCode();
                    var roles = (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("identityRoles")
                        .EnumerateArray().Select(r => r.GetString()!).Append(role).ToArray();
                    using var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri(url, path)) { Content = JsonContent.Create(new { identityRoles = roles }) };
                    patch.Headers.Add("zt-session", tokens[c]);
                    patch.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.Tag);
                    using var written = await http.SendAsync(patch);
                    if (written.StatusCode == HttpStatusCode.PreconditionFailed)
                    {
                        Interlocked.Increment(ref preconditionFailures);
                        continue;
                    }

                    written.StatusCode.ShouldBe(HttpStatusCode.OK, await written.Content.ReadAsStringAsync());
                    break;
                }
            }
        })))).WaitAsync(TimeSpan.FromMinutes(3));

        var final = await Cluster.Admins[1].GetAsync(path["/edge/management/v1/".Length..]);
        var expected = Cluster.ControllerUrls.SelectMany((_, c) => Enumerable.Range(0, editorsPerController)
            .SelectMany(e => Enumerable.Range(0, editsPerEditor).Select(i => $"#c{c}-e{e}-{i}")));
        final.GetProperty("identityRoles").EnumerateArray().Select(r => r.GetString()).Order().ShouldBe(expected.Order());
        preconditionFailures.ShouldBeGreaterThan(0, "the editors never collided, so the test proved nothing");
    }

    internal static async Task<List<(string Target, long Sequence)>> FeedAsync(HttpClient http, Uri controller, long after)
    {
        var json = await http.GetFromJsonAsync<JsonElement>(new Uri(controller, $"/edge/client/v1/revocations?after={after}"));
        return [.. json.GetProperty("data").EnumerateArray().Select(r => (r.GetProperty("target").GetString()!, r.GetProperty("sequence").GetInt64()))];
    }
}
