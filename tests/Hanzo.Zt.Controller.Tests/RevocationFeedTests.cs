using System.Text.Json;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>The public revocation feed, as routers poll it.</summary>
public class RevocationFeedTests(ControllerFixture fixture) : IClassFixture<ControllerFixture>
{
    [Fact]
    public async Task Concurrent_revocations_are_all_seen_by_a_poller_that_follows_the_cursor()
    {
        var serials = Enumerable.Range(0, 40).Select(_ => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())).ToList();
        var seen = new HashSet<string>();
        long cursor = 0;
        async Task PollAsync()
        {
            var page = await fixture.Anonymous.GetAsync($"/edge/client/v1/revocations?after={cursor}");
            page.ShouldBeOk();
            foreach (var entry in page.Data.EnumerateArray())
            {
                seen.Add(entry.GetProperty("target").GetString()!);
                cursor = Math.Max(cursor, entry.GetProperty("sequence").GetInt64());
            }
        }

        var writers = Task.WhenAll(serials.Select(async serial =>
            (await fixture.Admin.PostAsync("/edge/management/v1/revocations", new { type = "CERTIFICATE", target = serial })).ShouldBeOk()));
        while (!writers.IsCompleted) await PollAsync();
        await writers;
        await PollAsync();

        serials.ShouldBeSubsetOf(seen);
    }
}
