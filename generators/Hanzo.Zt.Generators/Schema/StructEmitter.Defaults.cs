using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// Struct and list fields with a default in the schema: an unset field reads as its default (built once, kept in
/// a message of its own), and the builder's <c>Get</c> copies the default in before it is changed, as the
/// reference's builders do. <c>Init</c> still starts from zero, as the reference's <c>init</c> does.
/// </summary>
internal sealed partial class StructEmitter
{
    private readonly ValueWriter values = new(map);

    /// <summary>Defaults the writer could not build (none today; kept so a new value kind cannot be dropped silently).</summary>
    public List<(SchemaField Field, string Reason)> Skipped { get; } = new();

    private static bool HasPointerDefault(SchemaField f) =>
        f.HadExplicitDefault && f.DefaultValue is { IsNull: false } && f.Type!.Kind is TypeKind.Struct or TypeKind.List;

    // The name of the reader's static holding the field's default, or null when it has none.
    private string? DefaultOf(SchemaField f, string name) => HasPointerDefault(f) && values.Build(f.Type!, f.DefaultValue!) is not null ? "Default_" + name : null;

    private void EmitDefaultValue(SchemaField f, string name)
    {
        if (!HasPointerDefault(f))
        {
            return;
        }

        string? build = values.Build(f.Type!, f.DefaultValue!);
        if (build is null)
        {
            Skipped.Add((f, $"the default of '{f.Name}' has a value the generator cannot build"));
            return;
        }

        w.Line();
        w.Line($"private static {Capnp}.PointerReader? default_{name};");
        w.Line();
        w.Line($"/// <summary>The schema's default for <c>{f.Name}</c>: <c>{CodeWriter.Escape(f.DefaultValue!.ToString())}</c>.</summary>");
        w.Line($"internal static {Capnp}.PointerReader Default_{name} => default_{name} ??= {build};");
    }

    private void EmitStructGetter(SchemaField f, string name, bool caps)
    {
        var t = Bind(f.Type!);
        string scope = ScopeOf(t);
        string fill = DefaultOf(f, name) is { } d ? $"p.SetFrom(Reader.{d});" : $"p.InitStruct({scope}.DataWords, {scope}.PointerCount);";
        w.Line();
        w.Line($"/// <summary><c>{f.Name}</c> to change in place; when unset it is first set to {(HasPointerDefault(f) ? "a copy of its default" : "an empty struct")}.</summary>");
        w.Open($"public {scope}.Builder Get{name}()");
        w.Line($"var p = _struct.GetPointer({f.Offset});");
        w.Open("if (p.IsNull)");
        w.Line(fill);
        w.Close();
        w.Line();
        w.Line($"return {ChildBuilder(t, "p.GetStruct()", caps)};");
        w.Close();
    }

    private void EmitListGetter(SchemaField f, string name, bool caps)
    {
        if (DefaultOf(f, name) is not { } d)
        {
            return;
        }

        var element = Bind(f.Type!).ElementType!;
        string? type = map.ValueType(element) is { } value ? $"{Capnp}.PrimitiveListBuilder<{value}>"
            : element.Kind == TypeKind.Struct ? $"{ScopeOf(element)}.BuilderList"
            : null;
        if (type is null)
        {
            return; // Text, Data and nested lists have no typed list builder; Init and Set cover them.
        }

        string c = element.Kind == TypeKind.Struct ? CapsArgument(element, caps) : string.Empty;
        w.Line();
        w.Line($"/// <summary><c>{f.Name}</c> to change in place; when unset it is first set to a copy of its default.</summary>");
        w.Open($"public {type} Get{name}()");
        w.Line($"var p = _struct.GetPointer({f.Offset});");
        w.Open("if (p.IsNull)");
        w.Line($"p.SetFrom(Reader.{d});");
        w.Close();
        w.Line();
        w.Line($"return new {type}(p.GetList(){c});");
        w.Close();
    }
}
