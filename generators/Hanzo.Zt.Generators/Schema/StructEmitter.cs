using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>
/// Emits a struct (or group) as a static scope class holding a zero-copy <c>Reader</c>, a <c>Builder</c>, list
/// views of both, its union's <c>Which</c> enum and its layout constants.
/// </summary>
internal sealed partial class StructEmitter(TypeMap map, CodeWriter w)
{
    private const string Capnp = "global::Hanzo.Zt.Capnp";
    private const string Zap = "global::Hanzo.Zt.Zap";

    public void Emit(SchemaNode node, Action<SchemaNode> emitNested)
    {
        var s = node.Struct!;
        var (name, caps, attribute) = Describe(node);
        w.Doc(node.DocComment ?? $"The Cap'n Proto {(s.IsGroup ? "group" : "struct")} <c>{node.Name}</c>.");
        if (attribute)
        {
            w.Line($"[{Capnp}.CapnpType({Names.Hex(node.Id)}, {Names.Literal(node.DisplayName)})]");
        }

        w.Open($"public static partial class {name}");
        w.Line("/// <summary>The schema node id.</summary>");
        w.Line($"public const ulong TypeId = {Names.Hex(node.Id)};");
        if (!s.IsGroup)
        {
            w.Line();
            w.Line("/// <summary>Size of the data section, in words.</summary>");
            w.Line($"public const int DataWords = {s.DataWordCount};");
            w.Line();
            w.Line("/// <summary>Size of the pointer section.</summary>");
            w.Line($"public const int PointerCount = {s.PointerCount};");
        }

        if (s.DiscriminantCount > 0)
        {
            w.Line();
            w.Line("/// <summary>Which member of the union is set.</summary>");
            w.Open("public enum Which : ushort");
            foreach (var f in s.Fields.Where(f => f.DiscriminantValue != SchemaField.NoDiscriminant))
            {
                w.Line($"{Names.Pascal(f.Name)} = {f.DiscriminantValue},");
            }

            w.Close();
        }

        if (!s.IsGroup)
        {
            w.Line();
            w.Line("/// <summary>Reads the root of <paramref name=\"message\"/> as this struct.</summary>");
            w.Line($"public static Reader ReadRoot({Capnp}.MessageReader message) => new(message.GetRoot());");
            w.Line();
            w.Line("/// <summary>Starts the root of <paramref name=\"message\"/> as this struct.</summary>");
            w.Line($"public static Builder InitRoot({Capnp}.MessageBuilder message) => new(message.InitRoot(DataWords, PointerCount));");
        }

        string scope = spec is not null && node.Id == spec.Type.TypeId ? spec.FullName : map.Scope(node.Id);
        bool pointable = map.HasZap && !s.IsGroup;
        EmitReader(node, caps, pointable ? scope : null);
        EmitBuilder(node, caps, pointable ? scope : null);
        if (!s.IsGroup)
        {
            EmitLists(caps);
        }

        foreach (var field in s.Fields.Where(f => f.IsGroup))
        {
            w.Line();
            Emit(map.Node(field.GroupTypeId), emitNested);
        }

        foreach (var nested in spec is null ? node.NestedNodes : Array.Empty<NestedNode>())
        {
            emitNested(map.Node(nested.Id));
        }

        w.Close();
    }

    private string Member(string schemaName, string enclosing)
    {
        var name = Names.Pascal(schemaName);
        return name == enclosing || name is "Struct" or "Caps" or "Which" or "Reader" or "Builder" ? name + "_" : name;
    }

    public string ChildReader(ulong structId, string structExpr, bool caps) =>
        $"new {map.Reader(structId)}({structExpr}{(map.CarriesCaps(structId) ? (caps ? ", _caps" : ", null") : string.Empty)})";

    // pointable: the struct's scope, when its reader and builder can be read and started at any pointer (ZAP's IZapPointerReadable).
    private void EmitReader(SchemaNode node, bool caps, string? pointable)
    {
        var s = node.Struct!;
        w.Line();
        w.Line("/// <summary>A zero-copy view of the struct in a received message; nothing is copied or allocated to read a field.</summary>");
        w.Open($"public readonly struct Reader{(pointable is null ? string.Empty : $" : {Zap}.IZapPointerReadable<Reader>")}");
        w.Line($"private readonly {Capnp}.StructReader _struct;");
        if (caps)
        {
            w.Line($"private readonly {Zap}.IZapCapTableReader? _caps;");
            w.Line();
            w.Line("/// <summary>Wraps <paramref name=\"value\"/>; <paramref name=\"caps\"/> resolves its capability pointers.</summary>");
            w.Open($"public Reader({Capnp}.StructReader value, {Zap}.IZapCapTableReader? caps = null)");
            w.Line("_struct = value;");
            w.Line("_caps = caps;");
            w.Close();
            w.Line();
            w.Line("/// <summary>The capability table its capability pointers index, if any.</summary>");
            w.Line($"public {Zap}.IZapCapTableReader? Caps => _caps;");
        }
        else
        {
            w.Line();
            w.Line("/// <summary>Wraps <paramref name=\"value\"/>.</summary>");
            w.Line($"public Reader({Capnp}.StructReader value) => _struct = value;");
        }

        w.Line();
        w.Line("/// <summary>The untyped struct underneath.</summary>");
        w.Line($"public {Capnp}.StructReader Struct => _struct;");
        if (pointable is not null)
        {
            w.Line();
            w.Line($"static Reader {Zap}.IZapPointerReadable<Reader>.Read({Capnp}.PointerReader pointer, {Zap}.IZapCapTableReader? caps) => new(pointer.GetStruct(){(caps ? ", caps" : string.Empty)});");
        }
        if (s.DiscriminantCount > 0)
        {
            w.Line();
            w.Line("/// <summary>Which union member is set.</summary>");
            w.Line($"public Which Which => (Which)_struct.ReadUInt16({s.DiscriminantOffset});");
        }

        foreach (var f in s.Fields)
        {
            EmitReaderField(f, caps);
        }

        EmitConversion(node, "Reader");
        w.Close();
    }

    private void EmitReaderField(SchemaField f, bool caps)
    {
        if (!f.IsGroup && Bind(f.Type!).Kind == TypeKind.Void)
        {
            return; // Nothing to read: a Void union member shows only in Which.
        }

        string name = Member(f.Name, "Reader");
        w.Line();
        w.Doc(f.DocComment);
        w.Line($"[{Capnp}.CapnpName({Names.Literal(f.Name)}{(f.Ordinal is { } o ? ", " + o : string.Empty)})]");
        if (f.IsGroup)
        {
            w.Line($"public {GroupScope(f.GroupTypeId)}.Reader {name} => {GroupChild(f.GroupTypeId, "Reader", caps)};");
            return;
        }

        var t = Bind(f.Type!);
        string ptr = $"_struct.GetPointer({f.Offset})";
        switch (t.Kind)
        {
            case TypeKind.Enum:
                string d = Literals.DataDefault(t, f.DefaultValue, map) is { } e ? ", " + e : string.Empty;
                w.Line($"public {map.Scope(t.TypeId)} {name} => ({map.Scope(t.TypeId)})_struct.ReadUInt16({f.Offset}{d});");
                break;
            case TypeKind.Text:
                if (f.HadExplicitDefault && f.DefaultValue is { IsNull: false, Text: { } text })
                {
                    w.Line($"public string {name} => {ptr}.IsNull ? {Names.Literal(text)} : {ptr}.GetText();");
                }
                else
                {
                    w.Line($"public string {name} => _struct.ReadText({f.Offset});");
                }

                w.Line();
                w.Line($"/// <summary><see cref=\"{name}\"/> as UTF-8 bytes, in place.</summary>");
                w.Line($"public global::System.ReadOnlySpan<byte> {name}Utf8 => _struct.ReadTextUtf8({f.Offset});");
                EmitHas(name, ptr);
                break;
            case TypeKind.Data:
                if (f.HadExplicitDefault && f.DefaultValue is { IsNull: false, Data: { } data })
                {
                    w.Line($"public global::System.ReadOnlyMemory<byte> {name} => {ptr}.IsNull ? {Literals.Bytes(data)} : {ptr}.GetData();");
                }
                else
                {
                    w.Line($"public global::System.ReadOnlyMemory<byte> {name} => _struct.ReadData({f.Offset});");
                }

                EmitHas(name, ptr);
                break;
            case TypeKind.Struct:
                string? structDefault = DefaultOf(f, name);
                string source = structDefault is null ? $"_struct.ReadStruct({f.Offset})" : $"({ptr} is {{ IsNull: false }} p ? p : {structDefault}).GetStruct()";
                w.Line($"public {ScopeOf(t)}.Reader {name} => {ChildReader(t, source, caps)};");
                EmitHas(name, ptr);
                EmitDefaultValue(f, name);
                break;
            case TypeKind.List:
                string? listDefault = DefaultOf(f, name);
                var (type, read) = ListReader(t.ElementType!, listDefault is null ? ptr : $"({ptr} is {{ IsNull: false }} p ? p : {listDefault})", caps);
                w.Line($"public {type} {name} => {read};");
                EmitHas(name, ptr);
                EmitDefaultValue(f, name);
                break;
            case TypeKind.Interface when caps:
                w.Line($"public {ClientOf(t)} {name} => new({ptr}.GetCapabilityIndex() is var index && _caps is not null ? _caps.GetCapability(index) : {Zap}.ZapCapability.Null());");
                break;
            case TypeKind.Interface:
                w.Line($"public uint? {name} => {ptr}.GetCapabilityIndex();");
                break;
            case TypeKind.AnyPointer:
                w.Line($"public {Capnp}.PointerReader {name} => {ptr};");
                if (OpenToStructs(t))
                {
                    w.Line();
                    w.Line($"/// <summary><see cref=\"{name}\"/> read as the struct <typeparamref name=\"T\"/> (a generated reader), chosen here as the schema leaves it open.</summary>");
                    w.Line($"public T {name}As<T>() where T : {Zap}.IZapPointerReadable<T> => T.Read({ptr}, {(caps ? "_caps" : "null")});");
                }

                break;
            default:
                string def = Literals.DataDefault(t, f.DefaultValue, map) is { } v ? ", " + v : string.Empty;
                w.Line($"public {map.ValueType(t)} {name} => _struct.Read{TypeMap.Accessor(t.Kind)}({f.Offset}{def});");
                break;
        }
    }

    // A pointer the schema leaves open to structs: AnyPointer, AnyStruct, or a generic parameter still unbound
    // (a generic method's parameter is bound per call, as in the reference).
    private bool OpenToStructs(SchemaType type) =>
        map.HasZap && type.AnyPointerKind is AnyPointerKind.AnyKind or AnyPointerKind.AnyStruct or AnyPointerKind.Parameter or AnyPointerKind.ImplicitMethodParameter;

    private void EmitHas(string name, string ptr)
    {
        w.Line();
        w.Line($"/// <summary>True when <see cref=\"{name}\"/> is set (its pointer is not null).</summary>");
        w.Line($"public bool Has{name} => !{ptr}.IsNull;");
    }

    private void EmitBuilder(SchemaNode node, bool caps, string? pointable)
    {
        var s = node.Struct!;
        w.Line();
        w.Line("/// <summary>The struct in a message being built; fields are written in place.</summary>");
        w.Open($"public readonly struct Builder{(pointable is null ? string.Empty : $" : {Zap}.IZapPointerBuildable<Builder>")}");
        w.Line($"private readonly {Capnp}.StructBuilder _struct;");
        if (caps)
        {
            w.Line($"private readonly {Zap}.IZapCapTableBuilder? _caps;");
            w.Line();
            w.Line("/// <summary>Wraps <paramref name=\"value\"/>; capabilities set on it go into <paramref name=\"caps\"/>.</summary>");
            w.Open($"public Builder({Capnp}.StructBuilder value, {Zap}.IZapCapTableBuilder? caps = null)");
            w.Line("_struct = value;");
            w.Line("_caps = caps;");
            w.Close();
            w.Line();
            w.Line("/// <summary>The capability table capabilities set on it go into, if any.</summary>");
            w.Line($"public {Zap}.IZapCapTableBuilder? Caps => _caps;");
        }
        else
        {
            w.Line();
            w.Line("/// <summary>Wraps <paramref name=\"value\"/>.</summary>");
            w.Line($"public Builder({Capnp}.StructBuilder value) => _struct = value;");
        }

        w.Line();
        w.Line("/// <summary>The untyped struct underneath.</summary>");
        w.Line($"public {Capnp}.StructBuilder Struct => _struct;");
        if (pointable is not null)
        {
            w.Line();
            w.Line($"static Builder {Zap}.IZapPointerBuildable<Builder>.Init({Capnp}.PointerBuilder pointer, {Zap}.IZapCapTableBuilder? caps) => "
                + $"new(pointer.InitStruct({pointable}.DataWords, {pointable}.PointerCount){(caps ? ", caps" : string.Empty)});");
        }
        foreach (var f in s.Fields)
        {
            EmitBuilderField(s, f, caps);
        }

        EmitConversion(node, "Builder");
        w.Close();
    }

    private void EmitBuilderField(StructNode s, SchemaField f, bool caps)
    {
        string name = Member(f.Name, "Builder");
        string tag = f.DiscriminantValue != SchemaField.NoDiscriminant ? $"_struct.WriteUInt16({s.DiscriminantOffset}, {f.DiscriminantValue}); " : string.Empty;
        string attr = $"[{Capnp}.CapnpName({Names.Literal(f.Name)}{(f.Ordinal is { } o ? ", " + o : string.Empty)})]";
        w.Line();
        if (f.IsGroup)
        {
            w.Line(attr);
            if (tag.Length > 0)
            {
                w.Line($"/// <summary>Selects the <c>{f.Name}</c> member of the union and returns it to fill in.</summary>");
                w.Line($"public {GroupScope(f.GroupTypeId)}.Builder Init{name}() {{ {tag}return {GroupChild(f.GroupTypeId, "Builder", caps)}; }}");
            }
            else
            {
                w.Line($"public {GroupScope(f.GroupTypeId)}.Builder {name} => {GroupChild(f.GroupTypeId, "Builder", caps)};");
            }

            return;
        }

        var t = Bind(f.Type!);
        string ptr = $"_struct.GetPointer({f.Offset})";
        w.Line(attr);
        switch (t.Kind)
        {
            case TypeKind.Void:
                w.Line($"public void Set{name}() {{ {tag}}}");
                break;
            case TypeKind.Enum:
                string d = Literals.DataDefault(t, f.DefaultValue, map) is { } e ? ", " + e : string.Empty;
                w.Line($"public void Set{name}({map.Scope(t.TypeId)} value) {{ {tag}_struct.WriteUInt16({f.Offset}, (ushort)value{d}); }}");
                break;
            case TypeKind.Text:
                w.Line($"public void Set{name}(global::System.ReadOnlySpan<char> value) {{ {tag}{ptr}.SetText(value); }}");
                break;
            case TypeKind.Data:
                w.Line($"public void Set{name}(global::System.ReadOnlySpan<byte> value) {{ {tag}{ptr}.SetData(value); }}");
                break;
            case TypeKind.Struct:
                w.Line($"public {ScopeOf(t)}.Builder Init{name}() {{ {tag}return {ChildBuilder(t, $"_struct.InitStruct({f.Offset}, {ScopeOf(t)}.DataWords, {ScopeOf(t)}.PointerCount)", caps)}; }}");
                w.Line();
                w.Line($"/// <summary>Sets <c>{f.Name}</c> to a copy of <paramref name=\"value\"/>.</summary>");
                w.Line($"public void Set{name}({ScopeOf(t)}.Reader value) {{ {tag}{ptr}.SetStruct(value.Struct); }}");
                if (tag.Length == 0)
                {
                    EmitStructGetter(f, name, caps);
                }

                break;
            case TypeKind.List:
                EmitListBuilder(name, tag, f.Offset, t.ElementType!, caps);
                if (tag.Length == 0)
                {
                    EmitListGetter(f, name, caps);
                }

                break;
            case TypeKind.Interface when caps:
                w.Open($"public void Set{name}({ContractOf(t)}? value)");
                w.Line(tag.Length > 0 ? tag.TrimEnd() : "// The cap table takes its own reference; ours goes back at once.");
                w.Line($"using var capability = {Zap}.ZapProxy.ToCapability(value, static v => {ServerOf(t)}.Create(v));");
                w.Line($"Set{name}(capability);");
                w.Close();
                w.Line();
                w.Line($"/// <summary>Sets <c>{f.Name}</c> to <paramref name=\"capability\"/> (the message takes its own reference).</summary>");
                w.Open($"public void Set{name}({Zap}.ZapCapability? capability)");
                if (tag.Length > 0)
                {
                    w.Line(tag.TrimEnd());
                }

                w.Line($"{ptr}.SetCapability((_caps ?? throw new global::System.InvalidOperationException(\"this builder has no capability table\")).AddCapability(capability));");
                w.Close();
                break;
            case TypeKind.Interface:
                w.Line($"public void Set{name}(uint capTableIndex) {{ {tag}{ptr}.SetCapability(capTableIndex); }}");
                break;
            default:
                if (t.Kind == TypeKind.AnyPointer)
                {
                    w.Line($"public {Capnp}.PointerBuilder {name} {{ get {{ {tag}return {ptr}; }} }}");
                    if (OpenToStructs(t))
                    {
                        w.Line();
                        w.Line($"/// <summary>Starts <c>{f.Name}</c> as a new struct <typeparamref name=\"T\"/> (a generated builder), chosen here as the schema leaves it open.</summary>");
                        w.Line($"public T Init{name}As<T>() where T : {Zap}.IZapPointerBuildable<T> {{ {tag}return T.Init({ptr}, {(caps ? "_caps" : "null")}); }}");
                    }

                    break;
                }

                string def = Literals.DataDefault(t, f.DefaultValue, map) is { } v ? ", " + v : string.Empty;
                w.Line($"public void Set{name}({map.ValueType(t)} value) {{ {tag}_struct.Write{TypeMap.Accessor(t.Kind)}({f.Offset}, value{def}); }}");
                break;
        }
    }
}
