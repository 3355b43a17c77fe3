namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>The kind of a <see cref="SchemaType"/>, numbered as schema.capnp's <c>Type</c> union.</summary>
public enum TypeKind
{
    /// <summary>Void.</summary>
    Void,

    /// <summary>Bool.</summary>
    Bool,

    /// <summary>Int8.</summary>
    Int8,

    /// <summary>Int16.</summary>
    Int16,

    /// <summary>Int32.</summary>
    Int32,

    /// <summary>Int64.</summary>
    Int64,

    /// <summary>UInt8.</summary>
    UInt8,

    /// <summary>UInt16.</summary>
    UInt16,

    /// <summary>UInt32.</summary>
    UInt32,

    /// <summary>UInt64.</summary>
    UInt64,

    /// <summary>Float32.</summary>
    Float32,

    /// <summary>Float64.</summary>
    Float64,

    /// <summary>Text.</summary>
    Text,

    /// <summary>Data.</summary>
    Data,

    /// <summary>List(T).</summary>
    List,

    /// <summary>An enum.</summary>
    Enum,

    /// <summary>A struct.</summary>
    Struct,

    /// <summary>An interface.</summary>
    Interface,

    /// <summary>AnyPointer, a constrained variant of it, or a generic parameter.</summary>
    AnyPointer,
}
