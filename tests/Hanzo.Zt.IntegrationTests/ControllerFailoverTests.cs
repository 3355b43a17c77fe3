using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hanzo.Zt.Fabric;
using Npgsql;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>A controller of a PostgreSQL cluster is killed (SIGKILL) under load: nothing it acknowledged is lost, and the rest fail over.</summary>
public sealed class ControllerFailoverTestsOnPostgreSql
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_controller_killed_during_1000_concurrent_session_requests_loses_no_acknowledged_session()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        string service = "load-" + Guid.NewGuid().ToString("N")[..6];
        await cluster.Admins[0].CreateServiceAsync(service);
        string user = service + "-user";
        await cluster.Admins[0].PostAsync("identities", new { name = user, type = "User", password = "user-password-1" });
        await cluster.Admins[0].CreatePolicyAsync("Dial", user, service);
        string token = await cluster.LoginAsync(cluster.ControllerUrls[0], user, "user-password-1");
        using var http = cluster.CreateHttp();
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int requests = 1000, killAfter = 150;

        var load = Enumerable.Range(0, requests).Select(i => Task.Run(async () =>
        {
            // Even requests go to the controller that is killed, odd ones to the one that survives.
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(cluster.ControllerUrls[i % 2], "/edge/client/v1/sessions"))
            {
                Content = JsonContent.Create(new { serviceName = service, type = "Dial" }),
            };
            request.Headers.Add("zt-session", token);
            try
            {
                using var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Created) return;
                var json = await response.Content.ReadFromJsonAsync<JsonElement>();
                acknowledged.Add(json.GetProperty("data").GetProperty("id").GetString()!);
                if (acknowledged.Count == killAfter) killed.TrySetResult();
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException or TaskCanceledException)
            {
                // Cut off by the kill: not acknowledged, so nothing is promised.
            }
        })).ToList();
        await killed.Task.WaitAsync(TimeSpan.FromMinutes(3));
        await cluster.Controllers[0].KillAsync();
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromMinutes(3));

        acknowledged.Count.ShouldBeGreaterThanOrEqualTo(killAfter);
        acknowledged.Count.ShouldBeLessThan(requests, "the kill cut off no request, so the test proved nothing");
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM sessions WHERE id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. acknowledged] });
        var stored = new HashSet<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
        }
        acknowledged.Where(id => !stored.Contains(id)).ShouldBeEmpty();

        // The surviving controller serves them too.
        string survivorToken = await cluster.LoginAsync(cluster.ControllerUrls[1], user, "user-password-1");
        survivorToken.ShouldNotBeNullOrEmpty();
        using var list = new HttpRequestMessage(HttpMethod.Get, new Uri(cluster.ControllerUrls[1], "/edge/client/v1/sessions?limit=1"));
        list.Headers.Add("zt-session", token);
        using var listed = await http.SendAsync(list);
        (await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("meta").GetProperty("pagination").GetProperty("totalCount").GetInt32()
            .ShouldBeGreaterThanOrEqualTo(acknowledged.Count);
    }

    [Fact]
    public async Task A_router_fed_by_two_controllers_keeps_working_and_sees_revocations_when_its_controller_is_killed()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var router = await cluster.StartRouterAsync(cluster.ControllerUrls);
        var setup = await cluster.CreateServiceAsync("failover");
        await using var host = await cluster.StartEchoHostAsync(setup, cluster.ControllerUrls);
        var options = new ZtContextOptions();
        foreach (var url in cluster.ControllerUrls) options.ControllerUrls.Add(url);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity, options);
        await using var before = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await Echo.RoundTripAsync(before, "before the kill");

        await cluster.Controllers[0].KillAsync();

        // The SDK moves to the survivor, where its API session is still good; the router keeps relaying.
        (await client.GetServicesAsync().WaitAsync(Guard)).Select(s => s.Name).ShouldContain(setup.Service);
        Events.ControllerChangedEvent? changed = null;
        while (changed is null)
        {
            changed = await client.Events.ReadAsync().AsTask().WaitAsync(Guard) as Events.ControllerChangedEvent;
        }

        changed.Controller.ShouldBe(cluster.ControllerUrls[1]);
        await using var second = ZtContext.FromIdentityFile(setup.ClientIdentity, options);
        await using var after = await second.DialAsync(setup.Service).WaitAsync(Guard);
        await Echo.RoundTripAsync(after, "after the kill");
        await Echo.RoundTripAsync(before, "the first connection still works");

        // A revocation recorded through the survivor reaches the router, whose controller is gone.
        await cluster.Admins[1].RevokeIdentityAsync(setup.ClientId);
        await router.WaitForLineAsync($"revoked for {setup.ClientId}");
        await Should.ThrowAsync<ZtConnectionException>(Echo.ReadUntilFailureAsync(before).WaitAsync(Guard));
        router.Transcript.ShouldContain($"moving to {cluster.ControllerUrls[1]}");
    }
}
