using Hanzo.Zt.Cli;
using Hanzo.Zt.Generators.Tests.Services;

namespace Hanzo.Zt.Generators.Tests;

/// <summary><c>zt capnp export</c> prints what the generator made for [ZtService] interfaces.</summary>
public sealed class CapnpExportTests
{
    [Fact]
    public async Task Export_prints_the_generated_capnp_of_a_service_in_an_assembly()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int exit = await ZtCommandLine.RunAsync(["capnp", "export", typeof(IGreeter).Assembly.Location, "--service", "IGreeter"], output, error);

        exit.ShouldBe(0, error.ToString());
        output.ToString().ShouldBe(GreeterSchema.CapnpText);
    }

    [Fact]
    public async Task Export_of_an_assembly_without_services_fails_and_says_why()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int exit = await ZtCommandLine.RunAsync(["capnp", "export", typeof(Capnp.StructReader).Assembly.Location], output, error);

        exit.ShouldBe(1);
        error.ToString().ShouldContain("has no [ZtService] interface");
    }
}
