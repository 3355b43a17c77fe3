using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>List fields and the typed list views of a struct.</summary>
internal sealed partial class StructEmitter
{
    public (string Type, string Read) ListReader(SchemaType element, string ptr, bool caps)
    {
        if (map.ValueType(element) is { } value)
        {
            string type = $"{Capnp}.PrimitiveList<{value}>";
            return (type, $"new {type}({ptr}.GetList({type}.ElementSize))");
        }

        return element.Kind switch
        {
            TypeKind.Text => ($"{Capnp}.TextList", $"new {Capnp}.TextList({ptr}.GetList({Capnp}.ListElementSize.Pointer))"),
            TypeKind.Data => ($"{Capnp}.DataList", $"new {Capnp}.DataList({ptr}.GetList({Capnp}.ListElementSize.Pointer))"),
            TypeKind.Struct => ($"{ScopeOf(element)}.ReaderList",
                $"new {ScopeOf(element)}.ReaderList({ptr}.GetList({Capnp}.ListElementSize.InlineComposite){CapsArgument(element, caps)})"),
            _ => ($"{Capnp}.ListReader", $"{ptr}.GetList()"),
        };
    }

    private void EmitListBuilder(string name, string tag, int offset, SchemaType element, bool caps)
    {
        if (map.ValueType(element) is { } value)
        {
            string type = $"{Capnp}.PrimitiveListBuilder<{value}>";
            w.Line($"public {type} Init{name}(int count) {{ {tag}return new {type}(_struct.InitList({offset}, {Capnp}.PrimitiveList<{value}>.ElementSize, count)); }}");
            w.Line();
            w.Line($"/// <summary>Sets <c>{name}</c> to a list holding <paramref name=\"values\"/>.</summary>");
            w.Line($"public void Set{name}(global::System.ReadOnlySpan<{value}> values) {{ {tag}{type}.Create(_struct.GetPointer({offset}), values); }}");
            return;
        }

        switch (element.Kind)
        {
            case TypeKind.Struct:
                string scope = ScopeOf(element);
                string c = CapsArgument(element, caps);
                w.Line($"public {scope}.BuilderList Init{name}(int count) {{ {tag}return new {scope}.BuilderList(_struct.InitStructList({offset}, count, {scope}.DataWords, {scope}.PointerCount){c}); }}");
                break;
            case TypeKind.Text:
                w.Line($"public void Set{name}(global::System.Collections.Generic.IReadOnlyList<string> values) {{ {tag}{Capnp}.TextList.Write(_struct.GetPointer({offset}), values); }}");
                break;
            case TypeKind.Data:
                w.Line($"public void Set{name}(global::System.Collections.Generic.IReadOnlyList<byte[]> values) {{ {tag}{Capnp}.DataList.Write(_struct.GetPointer({offset}), values); }}");
                break;
            case TypeKind.Void:
                w.Line($"public {Capnp}.ListBuilder Init{name}(int count) {{ {tag}return _struct.InitList({offset}, {Capnp}.ListElementSize.Void, count); }}");
                break;
            default:
                w.Line($"public {Capnp}.ListBuilder Init{name}(int count) {{ {tag}return _struct.InitList({offset}, {Capnp}.ListElementSize.Pointer, count); }}");
                break;
        }
    }

    private void EmitLists(bool caps)
    {
        string capsField = caps ? $"{Zap}.IZapCapTableReader? caps = null" : string.Empty;
        w.Line();
        w.Line("/// <summary>A zero-copy view of a list of this struct.</summary>");
        w.Open($"public readonly struct ReaderList({Capnp}.ListReader list{(caps ? ", " + capsField : string.Empty)}) : global::System.Collections.Generic.IReadOnlyList<Reader>");
        w.Line("/// <summary>The untyped list underneath.</summary>");
        w.Line($"public {Capnp}.ListReader Raw => list;");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public int Count => list.Count;");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line($"public Reader this[int index] => new(list.GetStruct(index){(caps ? ", caps" : string.Empty)});");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public global::System.Collections.Generic.IEnumerator<Reader> GetEnumerator()");
        w.Open("for (int i = 0; i < list.Count; i++)");
        w.Line("yield return this[i];");
        w.Close();
        w.Close();
        w.Line();
        w.Line("global::System.Collections.IEnumerator global::System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();");
        w.Close();

        w.Line();
        w.Line("/// <summary>A list of this struct being built.</summary>");
        w.Open($"public readonly struct BuilderList({Capnp}.ListBuilder list{(caps ? $", {Zap}.IZapCapTableBuilder? caps = null" : string.Empty)})");
        w.Line("/// <summary>The untyped list underneath.</summary>");
        w.Line($"public {Capnp}.ListBuilder Raw => list;");
        w.Line();
        w.Line("/// <summary>Number of elements.</summary>");
        w.Line("public int Count => list.Count;");
        w.Line();
        w.Line("/// <summary>Element <paramref name=\"index\"/>, to fill in.</summary>");
        w.Line($"public Builder this[int index] => new(list.GetStruct(index){(caps ? ", caps" : string.Empty)});");
        w.Close();
    }
}
