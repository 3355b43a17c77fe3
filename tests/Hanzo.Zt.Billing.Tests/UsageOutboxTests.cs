using Microsoft.AspNetCore.Http;

namespace Hanzo.Zt.Billing.Tests;

public sealed class UsageOutboxTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"zt-outbox-{Guid.NewGuid():N}.db");
    private readonly ManualTimeProvider _time = new();
    private CommerceStub _stub = null!;
    private ServiceProviderHolder _commerce = null!;

    private sealed record ServiceProviderHolder(IAsyncDisposable Services, IBillingProvider Provider);

    public async Task InitializeAsync()
    {
        _stub = await CommerceStub.StartAsync();
        var (services, provider) = CommerceClients.Create(_stub.Address, configure: o => o.MaxRetries = 0);
        _commerce = new ServiceProviderHolder(services, provider);
    }

    public async Task DisposeAsync()
    {
        await _commerce.Services.DisposeAsync();
        await _stub.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_path)!, Path.GetFileName(_path) + "*")) File.Delete(file);
    }

    private UsageOutbox Open() => new(_path, _time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    private static UsageRecord Usage(string requestId, long micros, string account = "acme/alice", string service = "echo") => new()
    {
        RequestId = requestId,
        Account = account,
        Service = service,
        SessionId = "session-" + requestId,
        Identity = "alice-laptop",
        BytesSent = 100,
        BytesReceived = 200,
        Duration = TimeSpan.FromSeconds(3),
        Calls = 4,
        AmountMicros = micros,
    };

    [Fact]
    public async Task Sub_cent_usage_is_carried_until_it_makes_a_whole_cent()
    {
        await using var outbox = Open();

        for (var i = 0; i < 3; i++) await outbox.EnqueueAsync(Usage($"r{i}", 3_333));
        (await outbox.DeliverAsync(_commerce.Provider)).Delivered.ShouldBe(0);
        (await outbox.GetCarriedMicrosAsync("acme/alice")).ShouldBe(9_999);

        await outbox.EnqueueAsync(Usage("r3", 25_002));
        (await outbox.DeliverAsync(_commerce.Provider)).Delivered.ShouldBe(1);

        _stub.TotalCharged.ShouldBe(3);
        (await outbox.GetCarriedMicrosAsync("acme/alice")).ShouldBe(5_001);
        (await outbox.GetStatusAsync()).ShouldBe(new UsageOutboxStatus(0, 0, 1, 0, 3, 5_001));
    }

    [Fact]
    public async Task Carries_are_kept_per_account_and_survive_a_restart()
    {
        await using (var outbox = Open())
        {
            await outbox.EnqueueAsync(Usage("a1", 6_000, account: "acme/alice"));
            await outbox.EnqueueAsync(Usage("b1", 6_000, account: "acme/bob"));
            await outbox.DeliverAsync(_commerce.Provider);
        }
        await using (var outbox = Open())
        {
            await outbox.EnqueueAsync(Usage("a2", 6_000, account: "acme/alice"));
            await outbox.DeliverAsync(_commerce.Provider);

            (await outbox.GetCarriedMicrosAsync("acme/alice")).ShouldBe(2_000);
            (await outbox.GetCarriedMicrosAsync("acme/bob")).ShouldBe(6_000);
        }
        _stub.TotalCharged.ShouldBe(1);
    }

    [Fact]
    public async Task Enqueuing_the_same_request_twice_meters_it_once()
    {
        await using var outbox = Open();

        await outbox.EnqueueAsync(Usage("same", 50_000));
        await outbox.EnqueueAsync(Usage("same", 50_000));
        await outbox.DeliverAsync(_commerce.Provider);

        _stub.TotalCharged.ShouldBe(5);
    }

    [Fact]
    public async Task Usage_recorded_while_the_provider_is_down_is_delivered_when_it_returns()
    {
        var down = true;
        _stub.Misbehave = async context =>
        {
            if (!down) return false;
            await CommerceStub.ProblemAsync(context, 503, "Service Unavailable", "maintenance");
            return true;
        };
        await using var outbox = Open();

        for (var session = 0; session < 20; session++)
        {
            await outbox.EnqueueAsync(Usage($"s{session}", 12_345, account: $"acme/user{session % 4}"));
            var report = await outbox.DeliverAsync(_commerce.Provider);
            report.Delivered.ShouldBe(0);
        }
        _stub.TotalCharged.ShouldBe(0);
        (await outbox.GetStatusAsync()).PendingDeliveries.ShouldBeGreaterThan(0);

        down = false;
        _time.Advance(TimeSpan.FromSeconds(31));
        await outbox.DeliverAsync(_commerce.Provider);

        var status = await outbox.GetStatusAsync();
        status.PendingDeliveries.ShouldBe(0);
        (_stub.TotalCharged * UsageOutbox.MicrosPerCent + status.CarriedMicros).ShouldBe(20 * 12_345);
    }

    [Fact]
    public async Task Retry_schedule_is_persisted_and_backs_off_exponentially()
    {
        var failing = true;
        _stub.Misbehave = async context =>
        {
            if (!failing) return false;
            await CommerceStub.ProblemAsync(context, 500, "Internal Server Error", "boom");
            return true;
        };
        await using (var outbox = Open())
        {
            outbox.RetryDelay(1).ShouldBe(TimeSpan.FromSeconds(1));
            outbox.RetryDelay(3).ShouldBe(TimeSpan.FromSeconds(4));
            outbox.RetryDelay(20).ShouldBe(TimeSpan.FromSeconds(30));

            await outbox.EnqueueAsync(Usage("r", 10_000));
            (await outbox.DeliverAsync(_commerce.Provider)).Retrying.ShouldBe(1);
            _time.Advance(TimeSpan.FromSeconds(1));
            (await outbox.DeliverAsync(_commerce.Provider)).Retrying.ShouldBe(1); // second failure: next try in 2 s
        }
        failing = false;
        await using (var outbox = Open())
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            (await outbox.DeliverAsync(_commerce.Provider)).Delivered.ShouldBe(0);
            _time.Advance(TimeSpan.FromSeconds(1));
            (await outbox.DeliverAsync(_commerce.Provider)).Delivered.ShouldBe(1);
        }
        _stub.CountRequests("/v1/billing/usage").ShouldBe(3);
    }

    [Fact]
    public async Task A_lost_answer_is_retried_with_the_same_key_and_charged_once()
    {
        var answered = 0;
        _stub.Misbehave = async context =>
        {
            if (Interlocked.Increment(ref answered) > 1) return false;
            // Commerce applies the charge, then the answer is lost.
            var body = _stub.Requests.Last().Body;
            _stub.Charged.TryAdd(context.Request.Headers["X-Idempotency-Key"]!, 2);
            await CommerceStub.ProblemAsync(context, 502, "Bad Gateway", "upstream reset " + body.Length);
            return true;
        };
        await using var outbox = Open();

        await outbox.EnqueueAsync(Usage("r", 20_000));
        (await outbox.DeliverAsync(_commerce.Provider)).Retrying.ShouldBe(1);
        _time.Advance(TimeSpan.FromSeconds(1));
        (await outbox.DeliverAsync(_commerce.Provider)).Delivered.ShouldBe(1);

        var keys = _stub.Requests.Where(r => r.Path == "/v1/billing/usage").Select(r => r.IdempotencyKey).ToList();
        keys.Count.ShouldBe(2);
        keys.Distinct().Count().ShouldBe(1);
        _stub.TotalCharged.ShouldBe(2);
    }

    [Fact]
    public async Task A_409_for_a_duplicate_in_flight_is_retried_later()
    {
        var conflicts = 1;
        _stub.Misbehave = async context =>
        {
            if (Interlocked.Decrement(ref conflicts) < 0) return false;
            await CommerceStub.ProblemAsync(context, 409, "Conflict", "in flight");
            return true;
        };
        await using var outbox = Open();

        await outbox.EnqueueAsync(Usage("r", 10_000));
        (await outbox.DeliverAsync(_commerce.Provider)).Retrying.ShouldBe(1);
        _time.Advance(TimeSpan.FromSeconds(1));
        (await outbox.DeliverAsync(_commerce.Provider)).Delivered.ShouldBe(1);
        (await outbox.ListPoisonedAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_422_is_kept_aside_with_the_reason_and_can_be_requeued()
    {
        var refuse = true;
        _stub.Misbehave = async context =>
        {
            if (!refuse) return false;
            await CommerceStub.ProblemAsync(context, 422, "Unprocessable Entity", "user acme/ghost does not exist");
            return true;
        };
        await using var outbox = Open();

        await outbox.EnqueueAsync(Usage("r", 30_000, account: "acme/ghost"));
        (await outbox.DeliverAsync(_commerce.Provider)).Poisoned.ShouldBe(1);
        _time.Advance(TimeSpan.FromMinutes(10));
        (await outbox.DeliverAsync(_commerce.Provider)).ShouldBe(new UsageDeliveryReport(0, 0, 0));

        var poisoned = (await outbox.ListPoisonedAsync()).ShouldHaveSingleItem();
        poisoned.Account.ShouldBe("acme/ghost");
        poisoned.Cents.ShouldBe(3);
        poisoned.Reason.ShouldContain("422");
        poisoned.Reason.ShouldContain("user acme/ghost does not exist");

        refuse = false;
        (await outbox.RequeuePoisonedAsync(poisoned.Id)).ShouldBeTrue();
        (await outbox.DeliverAsync(_commerce.Provider)).Delivered.ShouldBe(1);
        _stub.Charged[poisoned.RequestId].ShouldBe(3);
    }

    [Fact]
    public async Task Malformed_provider_answers_lose_nothing()
    {
        var malformed = true;
        _stub.Misbehave = async context =>
        {
            if (!malformed || context.Request.Path != "/v1/billing/usage") return false;
            await context.Response.WriteAsync("<html>oops</html>");
            return true;
        };
        await using var outbox = Open();

        await outbox.EnqueueAsync(Usage("r", 40_000));
        (await outbox.DeliverAsync(_commerce.Provider)).Retrying.ShouldBe(1);
        (await outbox.GetStatusAsync()).PendingDeliveries.ShouldBe(1);

        malformed = false;
        _time.Advance(TimeSpan.FromSeconds(1));
        (await outbox.DeliverAsync(_commerce.Provider)).Delivered.ShouldBe(1);
        _stub.TotalCharged.ShouldBe(4);
    }

    [Fact]
    public async Task Invalid_records_are_refused_before_they_are_written()
    {
        await using var outbox = Open();

        await Should.ThrowAsync<ArgumentException>(() => outbox.EnqueueAsync(Usage("r", -1)));
        await Should.ThrowAsync<ArgumentException>(() => outbox.EnqueueAsync(Usage("", 1)));
        (await outbox.GetStatusAsync()).UnsealedRecords.ShouldBe(0);
    }
}
