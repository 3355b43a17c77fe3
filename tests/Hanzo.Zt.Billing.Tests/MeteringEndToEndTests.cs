using System.Diagnostics;
using Hanzo.Zt.Billing.Commerce;
using Hanzo.Zt.Billing.Ledger;
using Hanzo.Zt.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Hanzo.Zt.Billing.Tests;

/// <summary>The billing engine end to end: meter → outbox → Commerce provider → the ledger server over HTTP.</summary>
public sealed class MeteringEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _outbox = Path.Combine(Path.GetTempPath(), $"zt-outbox-{Guid.NewGuid():N}.db");
    private LedgerServerHarness _ledger = null!;

    public async Task InitializeAsync() => _ledger = await LedgerServerHarness.StartAsync();

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_outbox) + "*")) File.Delete(file);
    }

    private (ServiceProvider Services, IBillingProvider Provider) Commerce() =>
        CommerceClients.Create(_ledger.Server.Address, LedgerServerHarness.Token);

    private async Task<long> DebitedCentsAsync(string org, long deposited) => deposited - await _ledger.BalanceAsync(org);

    [Fact]
    public async Task Ten_thousand_records_from_a_hundred_concurrent_sessions_are_charged_exactly()
    {
        const int sessions = 100, recordsPerSession = 100, orgs = 5;
        const long deposit = 1_000_000;
        for (var o = 0; o < orgs; o++) (await _ledger.DepositAsync($"org{o}", deposit)).EnsureSuccessStatusCode();

        var services = new ServiceCollection();
        services.AddHanzoZt(o =>
            {
                o.Billing.OutboxPath = _outbox;
                o.Billing.Rates.Default = new UsageRate { MicrosPerGBSent = 90_000, MicrosPerGBReceived = 50_000, MicrosPerSecond = 7, MicrosPerCall = 3 };
            })
            .AddCommerceBilling(o =>
            {
                o.BaseUrl = _ledger.Server.Address.ToString();
                o.ServiceToken = LedgerServerHarness.Token;
            });
        await using var provider = services.BuildServiceProvider();
        var meter = provider.GetRequiredService<UsageMeter>();
        var outbox = provider.GetRequiredService<UsageOutbox>();
        var billing = provider.GetRequiredService<IBillingProvider>();

        // Deliver while sessions are still closing, as the background service would.
        using var stop = new CancellationTokenSource();
        var delivering = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await outbox.DeliverAsync(billing);
                await Task.Delay(20);
            }
        });

        var metered = new long[sessions];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, sessions), new ParallelOptions { MaxDegreeOfParallelism = sessions }, async (s, ct) =>
        {
            var random = new Random(s);
            for (var r = 0; r < recordsPerSession; r++)
            {
                var priced = await meter.RecordAsync(new UsageRecord
                {
                    RequestId = $"s{s}-r{r}",
                    Account = $"org{s % orgs}/user{s}",
                    Service = s % 2 == 0 ? "echo" : "video",
                    SessionId = $"s{s}-r{r}",
                    Identity = $"identity-{s}",
                    BytesSent = random.NextInt64(0, 5_000_000),
                    BytesReceived = random.NextInt64(0, 50_000_000),
                    Duration = TimeSpan.FromTicks(random.NextInt64(0, 100_000_000)),
                    Calls = random.Next(0, 50),
                }, ct);
                metered[s] += priced!.AmountMicros;
            }
        });
        output.WriteLine($"metered {sessions * recordsPerSession} records in {clock.ElapsedMilliseconds} ms");
        await stop.CancelAsync();
        await delivering;
        await outbox.DeliverAsync(billing);

        var status = await outbox.GetStatusAsync();
        status.UnsealedRecords.ShouldBe(0);
        status.PendingDeliveries.ShouldBe(0);
        status.PoisonedDeliveries.ShouldBe(0);
        long debited = 0;
        for (var o = 0; o < orgs; o++) debited += await DebitedCentsAsync($"org{o}", deposit);
        debited.ShouldBe(status.DeliveredCents);
        (debited * UsageOutbox.MicrosPerCent + status.CarriedMicros).ShouldBe(metered.Sum());
        output.WriteLine($"{metered.Sum()} micros: {debited} cents in {status.DeliveredDeliveries} deliveries + {status.CarriedMicros} carried");
    }

    [Fact]
    public async Task Records_enqueued_by_a_process_killed_with_SIGKILL_are_delivered_by_the_next_start()
    {
        const int count = 500;
        const long micros = 3_333;
        (await _ledger.DepositAsync("acme", 10_000)).EnsureSuccessStatusCode();

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { ProbePath(), _outbox, count.ToString(), "acme/probe", micros.ToString() }) start.ArgumentList.Add(arg);
        using (var probe = Process.Start(start)!)
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            while ((line = await probe.StandardOutput.ReadLineAsync(guard.Token)) is not null && line != $"enqueued {count}") { }
            probe.Kill(); // SIGKILL: no shutdown, no flush, no dispose
            if (line != $"enqueued {count}") Assert.Fail("the probe did not enqueue: " + await probe.StandardError.ReadToEndAsync());
            await probe.WaitForExitAsync(guard.Token);
        }

        var (services, billing) = Commerce();
        await using var _ = services;
        await using var outbox = new UsageOutbox(_outbox);
        await outbox.DeliverAsync(billing);

        var status = await outbox.GetStatusAsync();
        status.PendingDeliveries.ShouldBe(0);
        var debited = await DebitedCentsAsync("acme", 10_000);
        (debited * UsageOutbox.MicrosPerCent + status.CarriedMicros).ShouldBe(count * micros);
        debited.ShouldBe(count * micros / UsageOutbox.MicrosPerCent);
    }

    [Fact]
    public async Task Ledger_down_during_sessions_then_back_receives_everything_once()
    {
        (await _ledger.DepositAsync("acme", 1_000)).EnsureSuccessStatusCode();
        var address = _ledger.Server.Address;
        var (services, billing) = CommerceClients.Create(address, LedgerServerHarness.Token, o => o.MaxRetries = 0);
        await using var _ = services;
        var time = new ManualTimeProvider();
        await using var outbox = new UsageOutbox(_outbox, time);

        await _ledger.Server.DisposeAsync(); // the provider goes away mid-flight
        for (var i = 0; i < 30; i++)
        {
            await outbox.EnqueueAsync(new UsageRecord
            {
                RequestId = $"r{i}", Account = "acme/alice", Service = "echo", SessionId = $"s{i}", Identity = "alice", AmountMicros = 7_777,
            });
            await outbox.DeliverAsync(billing);
        }
        (await outbox.GetStatusAsync()).DeliveredDeliveries.ShouldBe(0);

        await using var revived = await Ledger.Http.LedgerServer.StartAsync(_ledger.DataDirectory, address.ToString(), LedgerServerHarness.Token);
        time.Advance(TimeSpan.FromMinutes(10));
        await outbox.DeliverAsync(billing);
        time.Advance(TimeSpan.FromMinutes(10));
        await outbox.DeliverAsync(billing);

        var status = await outbox.GetStatusAsync();
        status.PendingDeliveries.ShouldBe(0);
        using var client = LedgerServerHarness.NewClient(revived.Address, LedgerServerHarness.Token);
        using var response = await client.GetAsync("/v1/billing/balance?user=acme/alice&currency=usd");
        var balance = (await LedgerServerHarness.ReadJsonAsync(response)).GetProperty("balance").GetInt64();
        ((1_000 - balance) * UsageOutbox.MicrosPerCent + status.CarriedMicros).ShouldBe(30 * 7_777);
    }

    [Fact]
    public async Task The_delivery_service_delivers_in_the_background_of_a_host()
    {
        (await _ledger.DepositAsync("acme", 100)).EnsureSuccessStatusCode();
        var logs = new RecordingLoggerProvider();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddHanzoZt(o =>
            {
                o.Billing.OutboxPath = _outbox;
                // Longer than the test may take: the delivery has to come from the enqueue waking the service.
                o.Billing.DeliveryInterval = TimeSpan.FromHours(1);
                o.Billing.Rates.Default = new UsageRate { MicrosPerCall = 10_000 };
            })
            .AddCommerceBilling(o =>
            {
                o.BaseUrl = _ledger.Server.Address.ToString();
                o.ServiceToken = LedgerServerHarness.Token;
            });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var delivered = logs.WaitForAsync(e => e.Category == typeof(UsageDeliveryService).FullName && e.Message.Contains("delivered to the billing provider"));
            await host.Services.GetRequiredService<BillingGate>().EnsureAllowedAsync("acme/alice");
            await host.Services.GetRequiredService<UsageMeter>().RecordAsync(new UsageRecord
            {
                RequestId = UsageMeter.RequestIdFor("session-1"), Account = "acme/alice", Service = "echo", SessionId = "session-1", Identity = "alice", Calls = 3,
            });

            (await delivered.WaitAsync(TimeSpan.FromSeconds(30))).Message.ShouldBe("Usage delivery: 1 delivered to the billing provider");

            (await _ledger.BalanceAsync("acme")).ShouldBe(97);
            var status = await host.Services.GetRequiredService<UsageOutbox>().GetStatusAsync();
            status.DeliveredDeliveries.ShouldBe(1);
            status.DeliveredCents.ShouldBe(3);
            status.PendingDeliveries.ShouldBe(0);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task The_embedded_ledger_provider_gates_and_records_through_the_outbox()
    {
        await using var store = await LedgerStore.OpenAsync(Path.Combine(_ledger.DataDirectory, "embedded"));
        var provider = new LedgerBillingProvider(store);
        await store.DepositAsync("acme", "acme", 5, "usd", "top-up");
        await using var outbox = new UsageOutbox(_outbox);

        (await provider.GetBalanceAsync("acme/alice")).IsAllowed.ShouldBeTrue();
        for (var i = 0; i < 3; i++)
            await outbox.EnqueueAsync(new UsageRecord { RequestId = $"r{i}", Account = "acme/alice", Service = "echo", SessionId = "s", Identity = "a", AmountMicros = 20_000 });
        await outbox.DeliverAsync(provider);

        (await provider.GetBalanceAsync("acme/alice")).Available.ShouldBe(-1);
        (await provider.GetBalanceAsync("acme/alice")).IsAllowed.ShouldBeFalse();
    }

    private static string ProbePath()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var probe = Path.Combine(dir.FullName, "tests", "Hanzo.Zt.Billing.OutboxProbe", "bin", configuration, "net10.0", "Hanzo.Zt.Billing.OutboxProbe.dll");
            if (File.Exists(probe)) return probe;
        }
        throw new InvalidOperationException("the outbox probe is not built (tests/Hanzo.Zt.Billing.OutboxProbe)");
    }
}
