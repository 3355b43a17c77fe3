namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>An applied annotation <c>$name(value)</c> (schema.capnp's <c>Annotation</c>).</summary>
public sealed class SchemaAnnotation
{
    internal SchemaAnnotation(ulong id, SchemaBrand brand, SchemaValue value)
    {
        Id = id;
        Brand = brand;
        Value = value;
    }

    /// <summary>The annotation declaration's id.</summary>
    public ulong Id { get; }

    /// <summary>Generic arguments of the annotation's scope, if any.</summary>
    public SchemaBrand Brand { get; }

    /// <summary>The value, of the annotation's declared type.</summary>
    public SchemaValue Value { get; }
}
