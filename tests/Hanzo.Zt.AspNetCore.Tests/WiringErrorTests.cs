using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.AspNetCore.Tests;

/// <summary>What a user who wires ZT in half sees: a typed error that names the missing call.</summary>
public sealed class WiringErrorTests
{
    [Fact]
    public void An_HttpClient_over_ZT_without_AddHanzoZt_fails_naming_it()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("orders").AddHanzoZt();
        using var provider = services.BuildServiceProvider();

        var error = Should.Throw<ZtConfigurationException>(() => provider.GetRequiredService<IHttpClientFactory>().CreateClient("orders"));

        error.Message.ShouldContain("AddHanzoZt()");
        error.Message.ShouldContain("'orders'");
    }

    [Fact]
    public async Task A_web_app_served_over_ZT_without_AddHanzoZt_fails_to_start_naming_it()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseHanzoZt("orders");
        await using var app = builder.Build();

        var error = await Should.ThrowAsync<Exception>(app.StartAsync());

        var cause = Causes(error).OfType<ZtConfigurationException>().ShouldHaveSingleItem();
        cause.Message.ShouldContain("AddHanzoZt()");
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("orders/v1")]
    public void UseHanzoZt_refuses_what_is_not_a_service_name(string service)
    {
        var builder = WebApplication.CreateSlimBuilder();

        Should.Throw<ArgumentException>(() => builder.WebHost.UseHanzoZt(service));
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
