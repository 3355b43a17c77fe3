using Hanzo.Zt.Generators.Tests.Schemas;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>Imports resolved as the reference resolves them: the built-in standard schemas, MSBuild import paths, clear errors.</summary>
public sealed class ImportTests
{
    [Fact]
    public void Importing_the_standard_cxx_schema_needs_no_setup_and_its_namespace_annotation_names_the_csharp_namespace()
    {
        const string schema = """
            @0xd1f0c3b2a4e5f601;
            using Cxx = import "/capnp/c++.capnp";
            $Cxx.namespace("acme::shapes");
            struct Square { side @0 :Float64; }
            """;

        var (output, diagnostics) = TestCompilation.Run([], ("/project/shapes.capnp", schema));

        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
        output.GetTypeByMetadataName("Acme.Shapes.Square+Reader").ShouldNotBeNull();
        output.GetTypeByMetadataName("Acme.Shapes.ShapesCapnp").ShouldNotBeNull();
    }

    [Fact]
    public void Types_from_an_imported_standard_schema_are_generated_once_in_its_namespace()
    {
        const string first = """
            @0xd1f0c3b2a4e5f60a;
            using Schema = import "/capnp/schema.capnp";
            struct Holder { node @0 :Schema.Node; nodes @1 :List(Schema.Node); }
            """;
        const string second = """
            @0xd1f0c3b2a4e5f60b;
            struct Other { request @0 :import "/capnp/schema.capnp".CodeGeneratorRequest; }
            """;

        var (output, diagnostics) = TestCompilation.Run([], ("/project/first.capnp", first), ("/project/second.capnp", second));

        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
        output.GetTypeByMetadataName("Generated.Holder+Reader")!.GetMembers("Node").ShouldNotBeEmpty();
        output.GetTypeByMetadataName("Capnp.Schema.Node+Reader").ShouldNotBeNull();
        output.GetTypeByMetadataName("Capnp.Schema.SchemaCapnp").ShouldNotBeNull();
        output.GetTypeByMetadataName("Capnp.Annotations.CppCapnp").ShouldBeNull();
    }

    [Fact]
    public void Namespace_metadata_wins_over_the_cxx_namespace_annotation()
    {
        const string schema = """
            @0xd1f0c3b2a4e5f602;
            $import "/capnp/c++.capnp".namespace("acme::shapes");
            struct Circle { radius @0 :Float64; }
            """;
        var msbuild = new TestCompilation.MsBuild().Item("/project/circle.capnp", "Namespace", "Mine.Geometry");

        var (output, diagnostics) = TestCompilation.Run([], msbuild, ("/project/circle.capnp", schema));

        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
        output.GetTypeByMetadataName("Mine.Geometry.Circle").ShouldNotBeNull();
        output.GetTypeByMetadataName("Acme.Shapes.Circle").ShouldBeNull();
    }

    [Fact]
    public void A_missing_import_is_ZT0001_naming_every_folder_searched()
    {
        const string schema = """
            @0xd1f0c3b2a4e5f603;
            using Missing = import "/vendor/missing.capnp";
            """;
        var msbuild = new TestCompilation.MsBuild().Property("CapnpImportPaths", "/deps/one;/deps/two");

        var (_, diagnostics) = TestCompilation.Run([], msbuild, ("/project/schemas/uses.capnp", schema));

        var error = diagnostics.ShouldHaveSingleItem();
        error.Id.ShouldBe("ZT0001");
        string message = error.GetMessage();
        message.ShouldContain("Import failed: /vendor/missing.capnp");
        message.ShouldContain("/deps/one, /deps/two, /project/schemas, the standard schemas built into Hanzo.Zt.Generators");
        message.ShouldContain("CapnpImportPath");
        error.Location.GetLineSpan().StartLinePosition.Line.ShouldBe(1);
    }

    [Fact]
    public void A_missing_relative_import_names_the_importing_files_folder()
    {
        const string schema = "@0xd1f0c3b2a4e5f604;\nusing Missing = import \"sibling.capnp\";\n";

        var (_, diagnostics) = TestCompilation.Run([], ("/project/schemas/uses.capnp", schema));

        diagnostics.ShouldHaveSingleItem().GetMessage().ShouldContain("Import failed: sibling.capnp (searched: /project/schemas)");
    }

    [Fact]
    public void Files_under_an_import_path_are_imported_but_not_generated()
    {
        const string library = "@0xd1f0c3b2a4e5f605;\nstruct Money { cents @0 :Int64; }\nconst currency :Text = \"EUR\";\n";
        const string schema = """
            @0xd1f0c3b2a4e5f606;
            using Lib = import "/lib/money.capnp";
            const currency :Text = Lib.currency;
            """;
        var msbuild = new TestCompilation.MsBuild()
            .Property("CapnpImportPaths", "/deps")
            .Item("/deps/lib/money.capnp", "CapnpImport", "true");

        var (output, diagnostics) = TestCompilation.Run([], msbuild, ("/deps/lib/money.capnp", library), ("/project/uses.capnp", schema));

        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
        output.GetTypeByMetadataName("Generated.UsesCapnp").ShouldNotBeNull();
        output.GetTypeByMetadataName("Generated.Money").ShouldBeNull();
    }

    [Fact]
    public void Capnp_import_path_items_in_the_project_reach_the_generator()
    {
        // Schemas/measured.capnp imports "/shared/units.capnp" from the folder <CapnpImportPath Include="Imports" />.
        MeasuredCapnp.Scale.ShouldBe(2.5);
        MeasuredCapnp.Unit.ShouldBe("metre");
        using var message = new Capnp.MessageBuilder();
        Measure.InitRoot(message);
        Measure.ReadRoot(message.AsReader()).Value.ShouldBe(2.5);
        typeof(MeasuredCapnp).Assembly.GetType("Hanzo.Zt.Generators.Tests.Schemas.UnitsCapnp").ShouldBeNull();
    }

    [Theory]
    [InlineData("/project/c++.capnp", "Generated.CppCapnp")]
    [InlineData("/project/rpc-twoparty.capnp", "Generated.RpcTwopartyCapnp")]
    [InlineData("/project/2d shapes.v1.capnp", "Generated._2dShapesCapnp")]
    public void Any_file_name_gives_a_valid_class_name(string path, string className)
    {
        var (output, diagnostics) = TestCompilation.Run([], (path, "@0xd1f0c3b2a4e5f607;\nconst one :Int32 = 1;\n"));

        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
        output.GetTypeByMetadataName(className).ShouldNotBeNull();
    }

    [Fact]
    public void ClassName_metadata_names_the_file_class()
    {
        var msbuild = new TestCompilation.MsBuild().Item("/project/c++.capnp", "ClassName", "CxxSchema");

        var (output, diagnostics) = TestCompilation.Run([], msbuild, ("/project/c++.capnp", "@0xd1f0c3b2a4e5f608;\nconst one :Int32 = 1;\n"));

        diagnostics.ShouldBeEmpty(string.Join("\n", diagnostics));
        output.GetTypeByMetadataName("Generated.CxxSchema").ShouldNotBeNull();
    }
}
