using Hanzo.Zt.Configuration;
using Hanzo.Zt.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Hanzo.Zt.Tests.DependencyInjection;

public class ControllerUrlsOptionTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddHanzoZt();
        return builder.Build();
    }

    [Fact]
    public void The_controllers_of_a_cluster_bind_from_HanzoZt_ControllerUrls_in_order()
    {
        using var host = Build(new()
        {
            ["HanzoZt:ControllerUrls:0"] = "https://c1.example:1280",
            ["HanzoZt:ControllerUrls:1"] = "https://c2.example:1280",
        });

        host.Services.GetRequiredService<IOptions<ZtOptions>>().Value.ControllerUrls.ShouldBe(["https://c1.example:1280", "https://c2.example:1280"]);
    }

    [Fact]
    public async Task A_controller_in_the_list_that_is_not_a_URL_fails_the_host_at_start_with_its_index()
    {
        using var host = Build(new()
        {
            ["HanzoZt:ControllerUrls:0"] = "https://c1.example:1280",
            ["HanzoZt:ControllerUrls:1"] = "c2",
        });

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        error.Message.ShouldContain("HanzoZt:ControllerUrls:1 'c2' is not an absolute http(s) URL");
    }
}
