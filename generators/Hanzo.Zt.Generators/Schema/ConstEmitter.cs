using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// Emits schema constants: primitives, enums and text as C# <c>const</c>s, data as a span, and structs and lists as
/// readers over a value built once. A constant that cannot be generated (Void, or a kind with no value) is
/// reported as ZT0009 rather than dropped silently.
/// </summary>
internal sealed class ConstEmitter(TypeMap map, StructEmitter structs, List<DiagnosticInfo> diagnostics, string filePath)
{
    private const string Capnp = "global::Hanzo.Zt.Capnp";
    private readonly ValueWriter values = new(map);

    public void Emit(CodeWriter w, SchemaNode node)
    {
        var c = node.Const!;
        string name = Names.Pascal(node.Name);
        var lines = new List<string>();
        switch (c.Type.Kind)
        {
            case TypeKind.Enum:
                lines.Add($"public const {map.Scope(c.Type.TypeId)} {name} = ({map.Scope(c.Type.TypeId)}){c.Value.Int};");
                break;
            case TypeKind.Text when !c.Value.IsNull:
                lines.Add($"public const string {name} = {Names.Literal(c.Value.Text!)};");
                break;
            case TypeKind.Data when !c.Value.IsNull:
                lines.Add($"public static global::System.ReadOnlySpan<byte> {name} => {Literals.Bytes(c.Value.Data!)};");
                break;
            case TypeKind.Struct or TypeKind.List when !c.Value.IsNull && values.Build(c.Type, c.Value) is { } build:
                string value = $"(value_{name} ??= {build})";
                lines.Add($"private static {Capnp}.PointerReader? value_{name};");
                lines.Add(string.Empty);
                lines.Add(c.Type.Kind == TypeKind.Struct
                    ? $"public static {map.Reader(c.Type.TypeId)} {name} => {structs.ChildReader(c.Type.TypeId, value + ".GetStruct()", caps: false)};"
                    : ListConst(name, c.Type.ElementType!, value));
                break;
            case TypeKind.Void or TypeKind.Text or TypeKind.Data or TypeKind.List or TypeKind.Struct or TypeKind.Interface or TypeKind.AnyPointer:
                Report(node, c.Type.Kind == TypeKind.Void
                    ? $"The constant '{node.Name}' is Void: there is no value to generate."
                    : $"The constant '{node.Name}' ({c.Type.Kind}, {c.Value}) has no C# form and is not generated.");
                return;
            default:
                lines.Add($"public const {map.ValueType(c.Type)} {name} = {Literals.Primitive(c.Type.Kind, c.Value)};");
                break;
        }

        w.Line();
        for (int i = 0; i < lines.Count; i++)
        {
            if (i == lines.Count - 1)
            {
                w.Doc(node.DocComment ?? $"The constant <c>{node.Name}</c>.");
            }

            w.Line(lines[i]);
        }
    }

    /// <summary>Reports defaults the struct emitter could not build.</summary>
    public void ReportSkipped()
    {
        foreach (var (field, reason) in structs.Skipped)
        {
            Report(field.Location, $"Not generated: {reason}.");
        }
    }

    private string ListConst(string name, SchemaType element, string value)
    {
        var (type, read) = structs.ListReader(element, value, caps: false);
        return $"public static {type} {name} => {read};";
    }

    private void Report(SchemaNode node, string message) => Report(node.Location, message);

    private void Report(SourceLocation? at, string message) =>
        diagnostics.Add(new DiagnosticInfo(ZtDiagnostics.NotGenerated.Id, message, filePath, 0, 0,
            Math.Max(0, (at?.Line ?? 1) - 1), Math.Max(0, (at?.Column ?? 1) - 1), Math.Max(0, (at?.EndLine ?? 1) - 1), Math.Max(0, (at?.EndColumn ?? 1) - 1)));
}
