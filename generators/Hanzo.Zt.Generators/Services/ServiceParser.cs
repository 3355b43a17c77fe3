using System.Security.Cryptography;
using Microsoft.CodeAnalysis;

namespace Hanzo.Zt.Generators.Services;

/// <summary>Reads a [ZtService] interface symbol into a <see cref="ServiceModel"/>, reporting what cannot be mapped.</summary>
internal sealed class ServiceParser
{
    private readonly List<DiagnosticInfo> diagnostics = new();
    private readonly Dictionary<string, RecordModel> records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EnumModel> enums = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OptionalModel> optionals = new(StringComparer.Ordinal);
    private readonly HashSet<string> inProgress = new(StringComparer.Ordinal);

    public static ServiceModel Parse(INamedTypeSymbol type, AttributeData attribute)
    {
        var parser = new ServiceParser();
        return parser.Read(type, attribute);
    }

    private ServiceModel Read(INamedTypeSymbol type, AttributeData attribute)
    {
        string name = type.Name.Length > 1 && type.Name[0] == 'I' && char.IsUpper(type.Name[1]) ? type.Name.Substring(1) : type.Name;
        if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string explicitName && explicitName.Length > 0)
        {
            name = explicitName;
        }

        ulong? id = null;
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == "Id" && named.Value.Value is ulong value && value != 0)
            {
                if ((value & (1UL << 63)) == 0)
                {
                    diagnostics.Add(DiagnosticInfo.At(ZtDiagnostics.BadId, type.Locations.FirstOrDefault(), $"interface id 0x{value:x16} of {type.Name} must have its high bit set, as every Cap'n Proto id does"));
                }

                id = value;
            }
        }

        string fullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var methods = new List<MethodModel>();
        var ordinals = new Dictionary<int, string>();
        int position = 0;
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary && m.IsAbstract))
        {
            int ordinal = Ordinal(method.GetAttributes(), "Hanzo.Zt.ZtMethodAttribute") ?? position;
            position++;
            if (ordinals.TryGetValue(ordinal, out var other))
            {
                diagnostics.Add(DiagnosticInfo.At(ZtDiagnostics.DuplicateOrdinal, method.Locations.FirstOrDefault(), $"{type.Name}.{method.Name} and {type.Name}.{other} both have ordinal @{ordinal}"));
            }

            ordinals[ordinal] = method.Name;
            if (ReadMethod(method, ordinal) is { } model)
            {
                methods.Add(model);
            }
        }

        string ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();
        return new ServiceModel(
            ns,
            type.Name,
            fullName,
            name,
            name,
            StableFileId(fullName),
            id,
            type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
            new EquatableArray<MethodModel>(methods.OrderBy(m => m.Ordinal)),
            new EquatableArray<RecordModel>(records.Values.OrderBy(r => r.CapnpName, StringComparer.Ordinal)),
            new EquatableArray<EnumModel>(enums.Values.OrderBy(e => e.CapnpName, StringComparer.Ordinal)),
            new EquatableArray<OptionalModel>(optionals.Values.OrderBy(o => o.CapnpName, StringComparer.Ordinal)),
            new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    /// <summary>The file id of a service's schema: derived from its full C# name, with the high bit set as capnp ids have.</summary>
    public static ulong StableFileId(string fullName)
    {
        byte[] hash;
        using (var md5 = MD5.Create())
        {
            hash = md5.ComputeHash(Encoding.UTF8.GetBytes("hanzo-zt:" + fullName));
        }

        ulong id = 0;
        for (int i = 0; i < 8; i++)
        {
            id = (id << 8) | hash[i];
        }

        return id | (1UL << 63);
    }

    private static int? Ordinal(IEnumerable<AttributeData> attributes, string attributeName)
    {
        var attribute = attributes.FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == attributeName);
        return attribute?.ConstructorArguments.FirstOrDefault().Value is int value ? value : null;
    }

    private MethodModel? ReadMethod(IMethodSymbol method, int ordinal)
    {
        var location = method.Locations.FirstOrDefault();
        var returnType = method.ReturnType as INamedTypeSymbol;
        string? returnName = returnType?.ConstructedFrom.ToDisplayString();
        TypeModel? result = null;
        List<MemberModel>? tupleResults = null;
        bool isValueTask = false;
        switch (returnName)
        {
            case "System.Threading.Tasks.Task":
                break;
            case "System.Threading.Tasks.ValueTask":
                isValueTask = true;
                break;
            case "System.Threading.Tasks.Task<TResult>":
            case "System.Threading.Tasks.ValueTask<TResult>":
                isValueTask = returnName.StartsWith("System.Threading.Tasks.ValueTask", StringComparison.Ordinal);
                if (returnType!.TypeArguments[0] is INamedTypeSymbol { IsTupleType: true } tuple)
                {
                    tupleResults = ReadTuple(tuple, location, method.Name);
                    if (tupleResults is null)
                    {
                        return null;
                    }

                    break;
                }

                result = Map(returnType.TypeArguments[0], location, $"{method.Name}'s result");
                if (result is null)
                {
                    return null;
                }

                break;
            default:
                diagnostics.Add(DiagnosticInfo.At(ZtDiagnostics.UnsupportedReturn, location, $"{method.ContainingType.Name}.{method.Name} returns {method.ReturnType.ToDisplayString()}; ZAP service methods return Task, Task<T>, ValueTask or ValueTask<T>"));
                return null;
        }

        var parameters = new List<MemberModel>();
        var ordinals = new Dictionary<int, string>();
        string? ct = null;
        int position = 0;
        foreach (var p in method.Parameters)
        {
            if (p.Type.ToDisplayString() == "System.Threading.CancellationToken")
            {
                ct = p.Name;
                continue;
            }

            int fieldOrdinal = Ordinal(p.GetAttributes(), "Hanzo.Zt.ZtFieldAttribute") ?? position;
            position++;
            if (ordinals.TryGetValue(fieldOrdinal, out var other))
            {
                diagnostics.Add(DiagnosticInfo.At(ZtDiagnostics.DuplicateOrdinal, p.Locations.FirstOrDefault(), $"parameters {other} and {p.Name} of {method.Name} both have ordinal @{fieldOrdinal}"));
            }

            ordinals[fieldOrdinal] = p.Name;
            var type = Map(p.Type, p.Locations.FirstOrDefault() ?? location, $"parameter {p.Name} of {method.Name}");
            if (type is null)
            {
                return null;
            }

            parameters.Add(new MemberModel(p.Name, CapnpMember(p.Name), fieldOrdinal, type));
        }

        string capnpName = method.Name.EndsWith("Async", StringComparison.Ordinal) && method.Name.Length > 5 ? method.Name.Substring(0, method.Name.Length - 5) : method.Name;
        var format = SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);
        string parameterList = string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(format) + " " + Names.Identifier(p.Name)));
        return new MethodModel(method.Name, CapnpMember(capnpName), ordinal, method.ReturnType.ToDisplayString(format),
            result, isValueTask, ct, new EquatableArray<MemberModel>(parameters.OrderBy(x => x.Ordinal)), parameterList,
            new EquatableArray<string>(method.Parameters.Select(p => p.Name)),
            new EquatableArray<MemberModel>(tupleResults ?? new List<MemberModel>()));
    }

    // (int Count, string Name) becomes the results (count :Int32, name :Text); unnamed elements keep Item1, Item2, ...
    private List<MemberModel>? ReadTuple(INamedTypeSymbol tuple, Location? location, string method)
    {
        var fields = new List<MemberModel>();
        foreach (var (element, i) in tuple.TupleElements.Select((e, i) => (e, i)))
        {
            var type = Map(element.Type, location, $"{method}'s result {element.Name}");
            if (type is null)
            {
                return null;
            }

            fields.Add(new MemberModel("Item" + (i + 1), CapnpMember(element.Name), i, type));
        }

        return fields;
    }

    private static string CapnpMember(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

    private TypeModel? Map(ITypeSymbol type, Location? location, string what)
    {
        if (Primitive(type) is { } capnp)
        {
            return new TypeModel(ValueKind.Primitive, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), capnp, null, default, null, false, false);
        }

        string display = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
        {
            return MapEnum(enumType, display, location, what);
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            var value = Map(nullable.TypeArguments[0], location, what);
            if (value is null)
            {
                return null;
            }

            string name = "Optional" + value.Capnp;
            optionals[name] = new OptionalModel(name, value.Capnp);
            return new TypeModel(ValueKind.Optional, display, name, value.CSharp, value.Kind, value.Capnp, false, false);
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            return new TypeModel(ValueKind.Text, "string", "Text", null, default, null, false, true);
        }

        if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte, Rank: 1 })
        {
            return new TypeModel(ValueKind.Data, "byte[]", "Data", null, default, null, false, true);
        }

        ITypeSymbol? element = type switch
        {
            IArrayTypeSymbol { Rank: 1 } array => array.ElementType,
            INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic when generic.ConstructedFrom.ToDisplayString() is
                "System.Collections.Generic.List<T>" or "System.Collections.Generic.IList<T>" or "System.Collections.Generic.IReadOnlyList<T>"
                or "System.Collections.Generic.IEnumerable<T>" or "System.Collections.Generic.IReadOnlyCollection<T>" or "System.Collections.Generic.ICollection<T>"
                => generic.TypeArguments[0],
            _ => null,
        };
        if (element is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableElement
            && Primitive(nullableElement.TypeArguments[0]) is { } elementCapnp)
        {
            // Struct list elements cannot be null pointers: each element says in a union whether it has a value.
            string maybe = "Maybe" + elementCapnp;
            optionals[maybe] = new OptionalModel(maybe, elementCapnp, IsUnion: true);
            string value = nullableElement.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return new TypeModel(ValueKind.List, display, $"List({maybe})", value, ValueKind.Optional, maybe, type is IArrayTypeSymbol, true);
        }

        if (element is not null)
        {
            var inner = Map(element, location, what);
            if (inner is null)
            {
                return null;
            }

            if (inner.Kind == ValueKind.Optional)
            {
                diagnostics.Add(DiagnosticInfo.At(ZtDiagnostics.UnsupportedType, location, $"{what} is a list of nullable enums ({display}); wrap the value in a record"));
                return null;
            }

            if (inner.Kind == ValueKind.List)
            {
                diagnostics.Add(DiagnosticInfo.At(ZtDiagnostics.UnsupportedType, location, $"{what} is a list of lists ({display}); wrap the inner list in a record"));
                return null;
            }

            return new TypeModel(ValueKind.List, display, $"List({inner.Capnp})", inner.CSharp, inner.Kind, inner.Capnp, type is IArrayTypeSymbol, true);
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsGenericType: false } named
            && named.ContainingNamespace?.ToDisplayString().StartsWith("System", StringComparison.Ordinal) != true)
        {
            string name = named.Name;
            if (!records.ContainsKey(display) && inProgress.Add(display))
            {
                var record = ReadRecord(named, display, location);
                inProgress.Remove(display);
                if (record is null)
                {
                    return null;
                }

                records[display] = record;
            }

            return new TypeModel(ValueKind.Record, display, Names.Pascal(name), null, default, null, false, named.IsReferenceType);
        }

        diagnostics.Add(DiagnosticInfo.At(ZtDiagnostics.UnsupportedType, location, $"{what} has type {display}, which ZAP services cannot carry: use primitives, string, byte[], lists, or records of those"));
        return null;
    }

    // A Cap'n Proto enum numbers its enumerants 0, 1, 2, ...: a C# enum maps when its values are exactly those.
    private TypeModel? MapEnum(INamedTypeSymbol type, string display, Location? location, string what)
    {
        if (!enums.ContainsKey(display))
        {
            var members = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue)
                .Select(f => (f.Name, Value: Convert.ToInt64(f.ConstantValue, System.Globalization.CultureInfo.InvariantCulture)))
                .OrderBy(m => m.Value)
                .ToList();
            if (members.Count == 0 || members.Where((m, i) => m.Value != i).Any())
            {
                diagnostics.Add(DiagnosticInfo.At(ZtDiagnostics.UnsupportedType, location,
                    $"{what} has enum type {display}, whose values are not 0, 1, 2, ... as a Cap'n Proto enum's are"));
                return null;
            }

            enums[display] = new EnumModel(display, Names.Pascal(type.Name), new EquatableArray<string>(members.Select(m => CapnpMember(m.Name))));
        }

        return new TypeModel(ValueKind.Enum, display, Names.Pascal(type.Name), null, default, null, false, false);
    }

    private RecordModel? ReadRecord(INamedTypeSymbol type, string display, Location? location)
    {
        var properties = type.GetMembers().OfType<IPropertySymbol>()
            .Where(p => p.DeclaredAccessibility == Accessibility.Public && !p.IsStatic && !p.IsIndexer && p.GetMethod is not null && p.Name != "EqualityContract")
            .ToList();
        var fields = new List<MemberModel>();
        var ordinals = new Dictionary<int, string>();
        int position = 0;
        foreach (var p in properties)
        {
            int ordinal = Ordinal(p.GetAttributes(), "Hanzo.Zt.ZtFieldAttribute") ?? position;
            position++;
            if (ordinals.TryGetValue(ordinal, out var other))
            {
                diagnostics.Add(DiagnosticInfo.At(ZtDiagnostics.DuplicateOrdinal, p.Locations.FirstOrDefault() ?? location, $"{type.Name}.{other} and {type.Name}.{p.Name} both have ordinal @{ordinal}"));
            }

            ordinals[ordinal] = p.Name;
            var mapped = Map(p.Type, p.Locations.FirstOrDefault() ?? location, $"{type.Name}.{p.Name}");
            if (mapped is null)
            {
                return null;
            }

            fields.Add(new MemberModel(p.Name, CapnpMember(p.Name), ordinal, mapped));
        }

        // Records with positional parameters are built through their constructor; other classes through setters.
        var constructor = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public)
            .FirstOrDefault(c => c.Parameters.Length == fields.Count && c.Parameters.All(p => fields.Any(f => string.Equals(f.Name, p.Name, StringComparison.OrdinalIgnoreCase))));
        bool useConstructor = constructor is not null && fields.Count > 0;
        if (!useConstructor && !type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public))
        {
            diagnostics.Add(DiagnosticInfo.At(ZtDiagnostics.UnsupportedType, location, $"{type.Name} needs a public parameterless constructor or one taking every property"));
            return null;
        }

        var ordered = useConstructor
            ? constructor!.Parameters.Select(p => fields.First(f => string.Equals(f.Name, p.Name, StringComparison.OrdinalIgnoreCase))).ToList()
            : fields;
        return new RecordModel(display, Names.Pascal(type.Name), useConstructor, new EquatableArray<MemberModel>(ordered));
    }

    private static string? Primitive(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Boolean => "Bool",
        SpecialType.System_SByte => "Int8",
        SpecialType.System_Byte => "UInt8",
        SpecialType.System_Int16 => "Int16",
        SpecialType.System_UInt16 => "UInt16",
        SpecialType.System_Int32 => "Int32",
        SpecialType.System_UInt32 => "UInt32",
        SpecialType.System_Int64 => "Int64",
        SpecialType.System_UInt64 => "UInt64",
        SpecialType.System_Single => "Float32",
        SpecialType.System_Double => "Float64",
        _ => null,
    };
}
