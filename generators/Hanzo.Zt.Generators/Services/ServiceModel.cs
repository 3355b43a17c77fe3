namespace Hanzo.Zt.Generators.Services;

/// <summary>How a C# type maps onto Cap'n Proto.</summary>
internal enum ValueKind
{
    Primitive,
    Text,
    Data,
    List,
    Record,
    Enum,

    /// <summary>A nullable value type (<c>int?</c>): a pointer to a one-field struct, null when the value is.</summary>
    Optional,
}

/// <summary>A parameter, result or record property type (value-equatable, no symbols).</summary>
internal sealed record TypeModel(ValueKind Kind, string CSharp, string Capnp, string? Element, ValueKind ElementKind, string? ElementCapnp, bool IsArray, bool IsReference);

/// <summary>A method parameter or a record property, with its ordinal.</summary>
internal sealed record MemberModel(string Name, string CapnpName, int Ordinal, TypeModel Type);

/// <summary>
/// A [ZtService] method. Its results are one <c>result</c> field (<see cref="Result"/>), or, for a value tuple, one
/// field per tuple element (<see cref="TupleResults"/>, named as the elements are), as the reference's multiple results.
/// </summary>
internal sealed record MethodModel(string Name, string CapnpName, int Ordinal, string ReturnType, TypeModel? Result, bool IsValueTask, string? CancellationTokenName, EquatableArray<MemberModel> Parameters, string ParameterList, EquatableArray<string> DeclaredOrder, EquatableArray<MemberModel> TupleResults)
{
    /// <summary>The results struct's fields: the tuple's elements, or <c>result</c>, or none.</summary>
    public IEnumerable<MemberModel> ResultFields =>
        TupleResults.Count > 0 ? TupleResults : Result is { } r ? new[] { new MemberModel("result", "result", 0, r) } : Array.Empty<MemberModel>();
}

/// <summary>
/// The struct carrying a nullable value type: <c>struct OptionalInt32 { value @0 :Int32; }</c> (null is a null
/// pointer), or for list elements, which cannot be null pointers, <c>struct MaybeInt32 { union { none @0 :Void;
/// value @1 :Int32; } }</c>.
/// </summary>
internal sealed record OptionalModel(string CapnpName, string ValueCapnp, bool IsUnion = false);

/// <summary>A C# enum carried as a Cap'n Proto enum: its members by value (which must be 0, 1, 2, ...).</summary>
internal sealed record EnumModel(string CSharp, string CapnpName, EquatableArray<string> Members);

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
    EquatableArray<EnumModel> Enums,
    EquatableArray<OptionalModel> Optionals,
    EquatableArray<DiagnosticInfo> Diagnostics);
