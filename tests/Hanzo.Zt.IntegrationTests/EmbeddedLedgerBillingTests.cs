using System.Security.Cryptography;
using Hanzo.Zt.Billing.Ledger;

namespace Hanzo.Zt.IntegrationTests;

/// <summary>The controller process gating dials on an embedded ledger directory (<c>--billing ledger --ledger-dir</c>).</summary>
public sealed class EmbeddedLedgerBillingTests : IAsyncLifetime
{
    private readonly string _ledger = Directory.CreateTempSubdirectory("hanzo-zt-embedded-ledger-").FullName;
    private ProcessFabric _fabric = null!;

    public async Task InitializeAsync()
    {
        var settings = new ProcessFabricSettings();
        settings.ControllerArgs.AddRange(["--billing", "ledger", "--ledger-dir", _ledger]);
        settings.ControllerEnvironment["HanzoZt__Billing__BalanceCacheDuration"] = "00:00:00";
        settings.RouterArgs.AddRange(["--billing", "off"]);
        _fabric = await ProcessFabric.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _fabric.DisposeAsync();
        Directory.Delete(_ledger, recursive: true);
    }

    [Fact]
    public async Task Zt_dial_is_refused_at_zero_balance_of_an_embedded_ledger_and_admitted_after_a_deposit()
    {
        var setup = await _fabric.CreateServiceAsync("embedded");
        await _fabric.Admin.SetBillingAccountAsync(setup.ClientId, "embedded/alice");
        await using var host = await _fabric.StartEchoHostAsync(setup);

        var refused = await FabricBillingTests.DialEchoAsync(_fabric, setup, "hello"u8.ToArray());
        refused.Exit.ShouldNotBe(0, refused.Transcript);
        refused.Transcript.ShouldContain("balance");
        refused.Transcript.ShouldContain("embedded/alice");

        await using (var ledger = await LedgerStore.OpenAsync(_ledger))
        {
            await ledger.DepositAsync("embedded", "embedded/alice", 100, "usd", "test");
        }

        var input = RandomNumberGenerator.GetBytes(4_096);
        var admitted = await FabricBillingTests.DialEchoAsync(_fabric, setup, input);
        admitted.Exit.ShouldBe(0, admitted.Transcript);
        admitted.Output.ShouldBe(input);
    }
}
