namespace Hanzo.Zt.Capnp.Compiler.Tests;

public class CompilerApiTests
{
    [Fact]
    public void In_memory_sources_resolve_imports_through_the_loader()
    {
        var loader = new InMemorySchemaLoader()
            .Add("lib/base.capnp", "@0xd1c5e5a0b7f0a010;\nstruct Base { x @0 :Int64; }\n")
            .Add("/imports/shared/common.capnp", "@0xd1c5e5a0b7f0a011;\nenum Kind { a @0; b @1; }\n");
        var options = new SchemaCompilerOptions { Loader = loader };
        options.ImportPaths.Add("/imports");

        var result = SchemaCompiler.Compile(new[]
        {
            new SchemaSource("lib/app.capnp", "@0xd1c5e5a0b7f0a012;\nusing B = import \"base.capnp\";\nusing import \"/shared/common.capnp\".Kind;\nstruct App { b @0 :B.Base; k @1 :Kind = b; }\n"),
        }, options);

        result.Diagnostics.ShouldBeEmpty();
        result.RequestedFiles.Single().Imports.Select(i => i.Name).ShouldBe(new[] { "base.capnp", "/shared/common.capnp" });
        result.FindNode("lib/base.capnp:Base").ShouldNotBeNull();
        result.FindNode("shared/common.capnp:Kind").ShouldNotBeNull();
        var app = result.FindNode("lib/app.capnp:App")!.Struct!;
        app.Fields[1].DefaultValue!.Int.ShouldBe(1);
        (app.DataWordCount, app.PointerCount).ShouldBe((1, 1));
    }

    [Fact]
    public void Streaming_methods_return_the_reference_StreamResult()
    {
        var result = SchemaCompiler.Compile("s.capnp", "@0xe1a2f7c1b3e94a09;\ninterface Sink {\n  write @0 (data :Data) -> stream;\n  done @1 ();\n}\n");

        result.Diagnostics.ShouldBeEmpty();
        var methods = result.FindNode("s.capnp:Sink")!.Interface!.Methods;
        methods[0].ResultStructType.ShouldBe(0x995f9a3377c0b16eUL);
        methods[1].ResultStructType.ShouldNotBe(0x995f9a3377c0b16eUL);
    }

    [Fact]
    public void Derived_ids_follow_the_reference_derivation()
    {
        // capnp 0.9.2 gives struct Foo in file @0xbf5147cbbecf40c1 the id 0xaf305ca1fc72027e.
        TypeIds.ChildId(0xbf5147cbbecf40c1, "Foo").ShouldBe(0xaf305ca1fc72027eUL);
    }

    [Fact]
    public void Doc_comments_attach_to_the_declaration_they_follow()
    {
        var result = SchemaCompiler.Compile("doc.capnp", "@0xd1c5e5a0b7f0a013;\nstruct Foo {\n  # A foo.\n  a @0 :Int32;  # The a.\n}\n");

        var foo = result.FindNode("doc.capnp:Foo")!;
        foo.DocComment.ShouldBe("A foo.\n");
        foo.Struct!.Fields[0].DocComment.ShouldBe("The a.\n");
    }

    [Fact]
    public void Summary_prints_ids_sizes_and_offsets()
    {
        var result = SchemaCompiler.Compile("s.capnp", "@0xd1c5e5a0b7f0a014;\nstruct Foo { a @0 :Int32; b @1 :Text; union { c @2 :Bool; d @3 :Void; } }\n");

        string summary = SchemaSummary.Print(result);

        summary.ShouldContain("struct s.capnp:Foo @0x");
        summary.ShouldContain("# 8 bytes, 1 ptrs, union tag bits[48, 64)");
        summary.ShouldContain("a @0 :Int32  # bits[0, 32)");
        summary.ShouldContain("b @1 :Text  # ptr[0]");
        summary.ShouldContain("c @2 :Bool  # bits[32, 33), union tag = 0");
    }
}
