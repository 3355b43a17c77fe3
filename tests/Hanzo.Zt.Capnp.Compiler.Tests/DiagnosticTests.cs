namespace Hanzo.Zt.Capnp.Compiler.Tests;

public class DiagnosticTests
{
    private static List<string> Errors(string text) =>
        SchemaCompiler.Compile("bad.capnp", "@0xbf5147cbbecf40c2;\n" + text).Diagnostics.Select(d => d.ToString()).ToList();

    [Fact]
    public void Duplicate_ordinal_is_reported_at_both_uses()
    {
        Errors("struct Foo {\n  a @0 :Int32;\n  b @0 :Text;\n}\n").ShouldBe(new[]
        {
            "bad.capnp:4:6: error: Duplicate ordinal number.",
            "bad.capnp:3:6: error: Ordinal @0 originally used here.",
        });
    }

    [Fact]
    public void Ordinal_gap_names_the_missing_ordinal()
    {
        Errors("struct Foo {\n  a @0 :Int32;\n  b @2 :Text;\n}\n")
            .ShouldBe(new[] { "bad.capnp:4:6: error: Skipped ordinal @1.  Ordinals must be sequential with no holes." });
    }

    [Fact]
    public void Unknown_type_is_not_defined()
    {
        Errors("struct Foo {\n  a @0 :Nope;\n}\n").ShouldBe(new[] { "bad.capnp:3:9: error: Not defined: Nope" });
    }

    [Fact]
    public void Duplicate_name_is_reported_at_both_declarations()
    {
        Errors("struct Foo {\n  a @0 :Int32;\n  a @1 :Text;\n}\n").ShouldBe(new[]
        {
            "bad.capnp:4:3: error: 'a' is already defined in this scope.",
            "bad.capnp:3:3: error: 'a' previously defined here.",
        });
    }

    [Fact]
    public void Syntax_errors_in_several_statements_are_all_reported()
    {
        var errors = Errors("struct A { a @0 Int32; }\nstruct B { b @0 :Int32 = ; }\nstruct C { c @0 :Int32; }\n");

        errors.Count.ShouldBe(2);
        errors[0].ShouldStartWith("bad.capnp:2:17: error: Parse error");
        errors[1].ShouldStartWith("bad.capnp:3:26: error: Parse error");
    }

    [Fact]
    public void Out_of_range_default_is_an_error()
    {
        Errors("const z :Int8 = 200;\n").ShouldBe(new[] { "bad.capnp:2:17: error: Integer value out of range." });
    }

    [Fact]
    public void Mistyped_default_is_a_type_mismatch()
    {
        Errors("struct Bar { x @0 :Int32 = \"s\"; }\n").ShouldBe(new[] { "bad.capnp:2:28: error: Type mismatch; expected Int32." });
    }

    [Fact]
    public void Missing_import_is_an_error_not_an_exception()
    {
        Errors("using M = import \"missing.capnp\";\n").ShouldBe(new[] { "bad.capnp:2:11: error: Import failed: missing.capnp" });
    }

    [Theory]
    [InlineData("struct A { a @0 :Text = \"unterminated\n}")]
    [InlineData("\u0000\u0001 garbage ### %%% }}}} {{{{")]
    [InlineData("struct A { b @0 :Data = 0x\"abc")]
    [InlineData("const x :List(Int32) = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]];")]
    [InlineData("struct A { struct B { struct C { struct D { struct E { struct F {")]
    [InlineData("struct A { u :union { x @0 :Int32; } } interface I { m @0 (a :Int32 -> ; }")]
    public void Bad_input_gives_diagnostics_without_throwing(string text)
    {
        var result = SchemaCompiler.Compile("bad.capnp", "@0xbf5147cbbecf40c2;\n" + text);

        result.Success.ShouldBeFalse();
        result.Diagnostics.ShouldAllBe(d => d.Location.File == "bad.capnp" && d.Location.Line >= 1);
    }

    [Fact]
    public void Nesting_far_too_deep_is_rejected_without_overflowing_the_stack()
    {
        string deep = string.Concat(Enumerable.Repeat("struct S {", 10_000));

        var result = SchemaCompiler.Compile("bad.capnp", "@0xbf5147cbbecf40c2;\n" + deep);

        result.Diagnostics.ShouldContain(d => d.Message.Contains("nesting is too deep"));
    }
}
