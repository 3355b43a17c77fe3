using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>A value read from, or to be written into, a message, typed by its schema.</summary>
public abstract record DynamicValue;

/// <summary>The Void value.</summary>
public sealed record DynamicVoid : DynamicValue
{
    /// <summary>The one Void value.</summary>
    public static DynamicVoid Instance { get; } = new();
}

/// <summary>A Bool.</summary>
public sealed record DynamicBool(bool Value) : DynamicValue;

/// <summary>A signed integer of kind Int8 to Int64.</summary>
public sealed record DynamicInt(long Value, TypeKind Kind) : DynamicValue;

/// <summary>An unsigned integer of kind UInt8 to UInt64.</summary>
public sealed record DynamicUInt(ulong Value, TypeKind Kind) : DynamicValue;

/// <summary>A Float32 or Float64.</summary>
public sealed record DynamicFloat(double Value, TypeKind Kind) : DynamicValue;

/// <summary>Text.</summary>
public sealed record DynamicText(string Value) : DynamicValue;

/// <summary>Data bytes.</summary>
public sealed record DynamicData(byte[] Value) : DynamicValue;

/// <summary>An enum value; <see cref="Name"/> is null for a value the schema does not name.</summary>
public sealed record DynamicEnum(ushort Value, string? Name) : DynamicValue;

/// <summary>A list.</summary>
public sealed record DynamicList(IReadOnlyList<DynamicValue> Items) : DynamicValue;

/// <summary>A struct (or group): the fields present, in schema order, with the active union member among them.</summary>
public sealed record DynamicStruct(IReadOnlyList<KeyValuePair<string, DynamicValue>> Fields) : DynamicValue;

/// <summary>A pointer the schema does not describe further: a capability or an AnyPointer.</summary>
public sealed record DynamicOpaque(bool IsCapability) : DynamicValue;
