using Hanzo.Zt.Capnp.Compiler.Layout;
using Hanzo.Zt.Capnp.Compiler.Syntax;

namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>
/// A struct member (field, group or named union) or the struct itself, while its layout is computed.
/// A member's slot in its parent's field list is taken when its first ordinal is laid out, which is
/// what puts fields in ordinal order and numbers groups and union discriminants as the reference does.
/// </summary>
internal sealed class MemberInfo
{
    private readonly List<SchemaField?> fields = new();
    private SchemaField? schema;

    public MemberInfo(SchemaNode node)
    {
        Node = node;
        Name = string.Empty;
    }

    public MemberInfo(MemberInfo parent, int codeOrder, string name, DeclarationKind kind, bool isInUnion)
    {
        Parent = parent;
        CodeOrder = codeOrder;
        Name = name;
        Kind = kind;
        IsInUnion = isInUnion;
    }

    public MemberInfo? Parent { get; }

    public int CodeOrder { get; }

    public string Name { get; }

    public DeclarationKind Kind { get; }

    public bool IsInUnion { get; }

    public int Index { get; private set; }

    public int ChildCount { get; set; }

    public int UnionDiscriminantCount { get; private set; }

    public Declaration? Declaration { get; set; }

    public Param? Param { get; set; }

    public LayoutScope? FieldScope { get; set; }

    public UnionLayout? UnionScope { get; set; }

    // The group's (or struct's) node; null for plain fields.
    public SchemaNode? Node { get; set; }

    public SchemaField GetSchema()
    {
        if (schema is not null)
        {
            return schema;
        }

        Index = Parent!.fields.Count;
        var field = new SchemaField(Name, CodeOrder);
        Parent.AddMemberSchema(field);
        if (IsInUnion)
        {
            field.DiscriminantValue = Parent.UnionDiscriminantCount++;
        }

        schema = field;
        return field;
    }

    public void FinishGroup(Compilation compilation)
    {
        var node = Node!;
        if (UnionScope is not null)
        {
            UnionScope.AddDiscriminant();
            node.Struct!.DiscriminantCount = UnionDiscriminantCount;
            node.Struct.DiscriminantOffset = (int)UnionScope.DiscriminantOffset!.Value;
        }

        node.Struct!.Fields = fields.Where(f => f is not null).Select(f => f!).ToList();
        if (Parent is not null)
        {
            ulong id = TypeIds.GroupId(Parent.Node!.Id, Index);
            node.Id = id;
            node.ScopeId = Parent.Node.Id;
            var field = GetSchema();
            field.IsGroup = true;
            field.GroupTypeId = id;
            compilation.Nodes.Add(node);
        }
    }

    private void AddMemberSchema(SchemaField field)
    {
        if (fields.Count == 0 && Parent is not null)
        {
            // A group takes its own place in its parent when its first member is placed.
            GetSchema();
        }

        fields.Add(field);
    }
}
