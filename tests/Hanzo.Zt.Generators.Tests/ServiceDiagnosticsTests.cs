using Microsoft.CodeAnalysis;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>Diagnostics for [ZtService] interfaces, by stable id, at the user's source.</summary>
public sealed class ServiceDiagnosticsTests
{
    private static IReadOnlyList<Diagnostic> Run(string source, params (string Path, string Text)[] extra)
    {
        var (_, diagnostics) = TestCompilation.Run(["using Hanzo.Zt; using System.Threading.Tasks;\n" + source], extra);
        return diagnostics;
    }

    [Fact]
    public void A_valid_service_compiles_without_warnings()
    {
        Run("[ZtService] public interface IOk { Task<int> AddAsync(int a, int b); }").ShouldBeEmpty();
    }

    [Fact]
    public void An_unsupported_parameter_type_is_ZT0002_at_the_parameter()
    {
        var diagnostic = Run("[ZtService] public interface IBad { Task RunAsync(System.IO.Stream input); }").ShouldHaveSingleItem();

        diagnostic.Id.ShouldBe("ZT0002");
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).ShouldContain("input");
        diagnostic.Location.GetLineSpan().Path.ShouldBe("Source0.cs");
    }

    [Fact]
    public void A_synchronous_method_is_ZT0005()
    {
        Run("[ZtService] public interface IBad { int Add(int a, int b); }").ShouldHaveSingleItem().Id.ShouldBe("ZT0005");
    }

    [Fact]
    public void Duplicate_method_ordinals_are_ZT0003()
    {
        var diagnostics = Run("[ZtService] public interface IBad { [ZtMethod(0)] Task AAsync(); [ZtMethod(0)] Task BAsync(); }");

        diagnostics.ShouldContain(d => d.Id == "ZT0003");
    }

    [Fact]
    public void An_ordinal_moved_since_the_lock_file_is_ZT0004()
    {
        const string service = "[ZtService] public interface IShop { Task BuyAsync(string item); Task SellAsync(string item); }";
        var diagnostics = Run(service, ("/project/shop.zaplock", "# recorded at 1.0\nShop.sell @0\nShop.buy @1\n"));

        diagnostics.Count(d => d.Id == "ZT0004").ShouldBe(2);
    }

    [Fact]
    public void Matching_and_added_members_pass_the_lock_file()
    {
        const string service = "[ZtService] public interface IShop { [ZtMethod(1)] Task BuyAsync(string item); [ZtMethod(0)] Task SellAsync(string item); [ZtMethod(2)] Task ListAsync(); }";

        Run(service, ("/project/shop.zaplock", "Shop.sell @0\nShop.buy @1\nShop.buy.item @0\n")).ShouldBeEmpty();
    }

    [Fact]
    public void A_malformed_lock_line_is_ZT0007()
    {
        const string service = "[ZtService] public interface IShop { Task BuyAsync(string item); }";

        Run(service, ("/project/shop.zaplock", "Shop.buy = 1\n")).ShouldContain(d => d.Id == "ZT0007");
    }
}
