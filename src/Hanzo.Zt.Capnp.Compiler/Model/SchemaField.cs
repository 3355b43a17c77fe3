namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>A struct field: a slot holding a value, or a group (schema.capnp's <c>Field</c>).</summary>
public sealed class SchemaField
{
    /// <summary>Value of <see cref="DiscriminantValue"/> for fields outside any union.</summary>
    public const int NoDiscriminant = 0xffff;

    internal SchemaField(string name, int codeOrder)
    {
        Name = name;
        CodeOrder = codeOrder;
    }

    /// <summary>The field's name.</summary>
    public string Name { get; }

    /// <summary>Position among its siblings in the source.</summary>
    public int CodeOrder { get; }

    /// <summary>Annotations applied to the field.</summary>
    public IReadOnlyList<SchemaAnnotation> Annotations { get; internal set; } = Array.Empty<SchemaAnnotation>();

    /// <summary>The union discriminant selecting this field, or <see cref="NoDiscriminant"/>.</summary>
    public int DiscriminantValue { get; internal set; } = NoDiscriminant;

    /// <summary>The explicit <c>@N</c> ordinal; null for groups and unions without one.</summary>
    public int? Ordinal { get; internal set; }

    /// <summary>True for a group or named union; then <see cref="GroupTypeId"/> is set and the slot members are not.</summary>
    public bool IsGroup { get; internal set; }

    /// <summary>The group's node id.</summary>
    public ulong GroupTypeId { get; internal set; }

    /// <summary>Offset in units of the type's size (bits for Bool, pointers for pointer types).</summary>
    public int Offset { get; internal set; }

    /// <summary>The slot's type.</summary>
    public SchemaType? Type { get; internal set; }

    /// <summary>The slot's default value (the type's zero value when none was written).</summary>
    public SchemaValue? DefaultValue { get; internal set; }

    /// <summary>True when the schema wrote <c>= value</c>.</summary>
    public bool HadExplicitDefault { get; internal set; }

    /// <summary>The doc comment, or null.</summary>
    public string? DocComment { get; internal set; }

    /// <summary>Where the field is declared.</summary>
    public SourceLocation? Location { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => IsGroup ? $"{Name} :group" : $"{Name} @{Ordinal} :{Type}";
}
