using System.Numerics;
using Hanzo.Zt.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hanzo.Zt.Billing.Tests;

public class RateCardTests
{
    [Fact]
    public void A_GB_each_way_costs_exactly_its_rate()
    {
        var rate = new UsageRate { MicrosPerGBSent = 50_000, MicrosPerGBReceived = 70_000 };

        RateCard.PriceMicros(rate, 1_000_000_000, 1_000_000_000, TimeSpan.Zero, 0).ShouldBe(120_000);
    }

    [Fact]
    public void Dimensions_are_summed_before_the_one_rounding()
    {
        var rate = new UsageRate { MicrosPerGBSent = 1, MicrosPerGBReceived = 1 };

        // Half a micro each way is one micro, not zero plus zero.
        RateCard.PriceMicros(rate, 500_000_000, 500_000_000, TimeSpan.Zero, 0).ShouldBe(1);
        RateCard.PriceMicros(rate, 999_999_999, 0, TimeSpan.Zero, 0).ShouldBe(0);
    }

    [Fact]
    public void Duration_is_priced_to_the_tick()
    {
        var rate = new UsageRate { MicrosPerSecond = 10_000_000 };

        RateCard.PriceMicros(rate, 0, 0, TimeSpan.FromTicks(1), 0).ShouldBe(1);
        RateCard.PriceMicros(new UsageRate { MicrosPerSecond = 1_000 }, 0, 0, TimeSpan.FromSeconds(1.5), 0).ShouldBe(1_500);
    }

    [Fact]
    public void Calls_are_priced_per_call()
    {
        RateCard.PriceMicros(new UsageRate { MicrosPerCall = 3 }, 0, 0, TimeSpan.Zero, 1_234).ShouldBe(3_702);
    }

    [Fact]
    public void Huge_quantities_are_exact_where_doubles_are_not()
    {
        var rate = new UsageRate { MicrosPerGBSent = 999_999, MicrosPerGBReceived = 777_777, MicrosPerSecond = 12_345, MicrosPerCall = 7 };
        long sent = long.MaxValue / 1_000, received = 987_654_321_987_654_321, calls = 123_456_789;
        var duration = TimeSpan.FromDays(3650);

        var expected = ((BigInteger)sent * 999_999 + (BigInteger)received * 777_777
            + (BigInteger)duration.Ticks * 12_345 * 100 + (BigInteger)calls * 7 * 1_000_000_000) / 1_000_000_000;
        RateCard.PriceMicros(rate, sent, received, duration, calls).ShouldBe((long)expected);
        ((double)sent * 999_999 / 1e9).ShouldNotBe((double)((BigInteger)sent * 999_999 / 1_000_000_000)); // what floating point would lose
    }

    [Fact]
    public void A_price_beyond_64_bits_is_an_overflow_not_a_wrong_number()
    {
        Should.Throw<OverflowException>(() =>
            RateCard.PriceMicros(new UsageRate { MicrosPerCall = long.MaxValue }, 0, 0, TimeSpan.Zero, 2));
    }

    [Fact]
    public void Negative_quantities_are_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => RateCard.PriceMicros(new UsageRate(), -1, 0, TimeSpan.Zero, 0));
    }

    [Fact]
    public void A_service_override_replaces_the_default_rate_case_insensitively()
    {
        var card = new RateCard(new RateCardOptions
        {
            Default = new UsageRate { MicrosPerCall = 1 },
            Services = { ["Video"] = new UsageRate { MicrosPerCall = 100 } },
        });

        card.RateFor("video").MicrosPerCall.ShouldBe(100);
        card.RateFor("echo").MicrosPerCall.ShouldBe(1);
        card.PriceMicros(new UsageRecord { RequestId = "r", Account = "a/b", Service = "VIDEO", SessionId = "s", Identity = "i", Calls = 2 })
            .ShouldBe(200);
    }

    [Fact]
    public void Negative_rates_are_refused_by_name()
    {
        var error = Should.Throw<ZtConfigurationException>(() =>
            new RateCard(new RateCardOptions { Services = { ["db"] = new UsageRate { MicrosPerSecond = -1 } } }));

        error.Message.ShouldContain("Rates:Services:db:MicrosPerSecond must not be negative");
    }

    [Fact]
    public void Rates_bind_from_the_HanzoZt_Billing_Rates_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HanzoZt:Billing:Rates:Default:MicrosPerGBSent"] = "11",
            ["HanzoZt:Billing:Rates:Default:MicrosPerCall"] = "2",
            ["HanzoZt:Billing:Rates:Services:db:MicrosPerSecond"] = "5",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddHanzoZt().AddUsageMetering();
        using var provider = services.BuildServiceProvider();

        var card = provider.GetRequiredService<RateCard>();

        card.RateFor("web").MicrosPerGBSent.ShouldBe(11);
        card.RateFor("web").MicrosPerCall.ShouldBe(2);
        card.RateFor("db").MicrosPerSecond.ShouldBe(5);
        card.RateFor("db").MicrosPerCall.ShouldBe(0);
    }
}
