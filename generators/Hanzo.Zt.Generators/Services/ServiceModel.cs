namespace Hanzo.Zt.Generators.Services;

/// <summary>How a C# type maps onto Cap'n Proto.</summary>
internal enum ValueKind
{
    Primitive,
    Text,
    Data,
    List,
    Record,
}

/// <summary>A parameter, result or record property type (value-equatable, no symbols).</summary>
internal sealed record TypeModel(ValueKind Kind, string CSharp, string Capnp, string? Element, ValueKind ElementKind, string? ElementCapnp, bool IsArray, bool IsReference);

/// <summary>A method parameter or a record property, with its ordinal.</summary>
internal sealed record MemberModel(string Name, string CapnpName, int Ordinal, TypeModel Type);

/// <summary>A [ZtService] method.</summary>
internal sealed record MethodModel(string Name, string CapnpName, int Ordinal, string ReturnType, TypeModel? Result, bool IsValueTask, string? CancellationTokenName, EquatableArray<MemberModel> Parameters, string ParameterList, EquatableArray<string> DeclaredOrder);

/// <summary>A record or class carried by value, as a Cap'n Proto struct.</summary>
internal sealed record RecordModel(string CSharp, string CapnpName, bool UseConstructor, EquatableArray<MemberModel> Fields);

/// <summary>A [ZtService] interface, as the generator needs it.</summary>
internal sealed record ServiceModel(
    string Namespace,
    string InterfaceName,
    string FullName,
    string CapnpName,
    string StemName,
    ulong FileId,
    ulong? ExplicitId,
    string Accessibility,
    EquatableArray<MethodModel> Methods,
    EquatableArray<RecordModel> Records,
    EquatableArray<DiagnosticInfo> Diagnostics);
