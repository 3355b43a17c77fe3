namespace Hanzo.Zt.Cli.Tests;

public class ControllerStoreOptionTests
{
    [Fact]
    public async Task An_unknown_store_is_refused_with_the_choices_named()
    {
        var (exit, _, error) = await ZtProcess.RunAsync("controller", "run", "--store", "mysql", "--urls", "https://127.0.0.1:0");

        exit.ShouldBe(1);
        error.ShouldContain("the store 'mysql' is neither sqlite nor postgresql");
    }

    [Fact]
    public async Task The_postgresql_store_without_a_connection_string_is_refused_with_where_to_give_one()
    {
        var (exit, _, error) = await ZtProcess.RunAsync("controller", "run", "--store", "postgresql", "--urls", "https://127.0.0.1:0");

        exit.ShouldBe(1);
        error.ShouldContain("--connection-string or ZT_CONTROLLER_CONNECTION_STRING");
    }

    [Fact]
    public async Task The_postgresql_store_without_the_controller_key_is_refused()
    {
        var (exit, _, error) = await ZtProcess.RunAsync("controller", "run", "--store", "postgresql",
            "--connection-string", "Host=127.0.0.1;Port=1;Database=zt;Username=zt", "--urls", "https://127.0.0.1:0");

        exit.ShouldBe(1);
        error.ShouldContain("ZT_CONTROLLER_KEY");
    }
}
