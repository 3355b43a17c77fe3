using Hanzo.Zt.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Hanzo.Zt.Generators.Tests;

public sealed class SchemaGeneratorTests
{
    private static (string, string) Schema(string name) =>
        ($"/project/{name}", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", name)));

    private static (string, string) Calculator() =>
        ("/project/calculator.capnp", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "calculator.capnp.txt")));

    [Fact]
    public void Calculator_schema_generates_code_that_compiles_without_warnings()
    {
        var (output, diagnostics) = TestCompilation.Run([], Calculator());

        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
        output.GetTypeByMetadataName("Generated.ICalculator").ShouldNotBeNull();
        output.GetTypeByMetadataName("Generated.CalculatorClient").ShouldNotBeNull();
        output.GetTypeByMetadataName("Generated.CalculatorServer").ShouldNotBeNull();
        output.GetTypeByMetadataName("Generated.Calculator+Expression+Reader").ShouldNotBeNull();
    }

    [Fact]
    public void Every_field_kind_generates_code_that_compiles_without_warnings()
    {
        var (_, diagnostics) = TestCompilation.Run([], Schema("everything.capnp"), Schema("echo.capnp"));

        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
    }

    [Fact]
    public void Generated_code_is_used_from_user_code_that_compiles()
    {
        const string user = """
            namespace User;
            public sealed class Value(double v) : Generated.Calculator.IValue
            {
                public System.Threading.Tasks.ValueTask<double> ReadAsync(System.Threading.CancellationToken cancellationToken) => new(v);
            }
            """;

        var (_, diagnostics) = TestCompilation.Run([user], Calculator());

        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
    }

    [Fact]
    public void A_schema_syntax_error_is_ZT0001_at_its_file_line_and_column()
    {
        var (_, diagnostics) = TestCompilation.Run([], ("/project/bad.capnp", "@0xd6d4e1a3b2c5f702;\nstruct Broken {\n  field @0 :Int32\n}\n"));

        var error = diagnostics.ShouldHaveSingleItem();
        error.Id.ShouldBe("ZT0001");
        error.Severity.ShouldBe(DiagnosticSeverity.Error);
        var span = error.Location.GetLineSpan();
        span.Path.ShouldBe("/project/bad.capnp");
        span.StartLinePosition.Line.ShouldBeInRange(2, 3);
    }

    [Fact]
    public void An_unrelated_source_edit_leaves_the_schema_output_cached()
    {
        var driver = TestCompilation.Driver(Calculator());
        var compilation = TestCompilation.Create("namespace A; public class One { }");
        driver = driver.RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace A; public class Two { }"));
        driver = driver.RunGenerators(edited);

        var steps = driver.GetRunResult().Results.Single().TrackedSteps[ZtGenerator.SchemaStep];
        steps.SelectMany(s => s.Outputs).ShouldAllBe(o => o.Reason == IncrementalStepRunReason.Cached || o.Reason == IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Editing_the_schema_regenerates_it()
    {
        var (path, text) = Calculator();
        var original = TestCompilation.Text(path, text);
        var driver = TestCompilation.Driver(original);
        var compilation = TestCompilation.Create("namespace A; public class One { }");
        driver = driver.RunGenerators(compilation);
        var old = driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();

        driver = driver.ReplaceAdditionalText(
            original,
            TestCompilation.Text(path, text.Replace("read @0 () -> (value :Float64);", "read @0 () -> (value :Float64);\n    reset @1 () -> ();")));
        driver = driver.RunGenerators(compilation);

        var regenerated = driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();
        regenerated.ShouldNotBe(old);
        regenerated.ShouldContain("ResetAsync");
    }
}
