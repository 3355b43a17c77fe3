using Hanzo.Zt.Transport;
using Microsoft.AspNetCore.Connections;

namespace Hanzo.Zt.Tests.Transport;

public class ZtTransportSelectorTests
{
    [Fact]
    public void Unknown_scheme_names_the_scheme_and_the_registered_ones()
    {
        var selector = new ZtTransportSelector([new RecordingTransport()]);

        var error = Should.Throw<ZtConfigurationException>(() => selector.Select(new Uri("quic://h:1")));

        error.Message.ShouldContain("no transport is registered for scheme 'quic'");
        error.Message.ShouldContain("registered schemes: mem");
    }

    [Fact]
    public async Task Connect_passes_the_uri_as_a_UriEndPoint()
    {
        var transport = new RecordingTransport();
        var selector = new ZtTransportSelector([transport]);

        await Should.ThrowAsync<ConnectionAbortedException>(() => selector.ConnectAsync(new Uri("MEM://peer:7/x")).AsTask());

        transport.Connected.Single().ShouldBeOfType<UriEndPoint>().Uri.ShouldBe(new Uri("mem://peer:7/x"));
    }

    [Fact]
    public void Later_registration_wins_a_scheme()
    {
        var first = new RecordingTransport();
        var second = new RecordingTransport();

        new ZtTransportSelector([first, second]).Select(new Uri("mem://x")).ShouldBeSameAs(second);
    }

    [Fact]
    public void Relative_endpoint_is_a_configuration_error()
    {
        Should.Throw<ZtConfigurationException>(() => new ZtTransportSelector([]).Select(new Uri("peer/1", UriKind.Relative)))
            .Message.ShouldContain("is not an absolute URI");
    }
}
