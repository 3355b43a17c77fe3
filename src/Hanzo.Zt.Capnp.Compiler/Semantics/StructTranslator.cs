using Hanzo.Zt.Capnp.Compiler.Layout;
using Hanzo.Zt.Capnp.Compiler.Syntax;

namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>
/// Lays out a struct exactly as the reference compiler does: members are visited in ordinal order
/// (groups sharing the ordinal space), each takes the first fitting hole, unions share slots among
/// their members and get a discriminant when their second member appears.
/// </summary>
internal sealed class StructTranslator
{
    private readonly Compilation compilation;
    private readonly DeclaredNode scope;
    private readonly ImplicitParams? implicitParams;
    private readonly TopLayout layout = new();
    private readonly List<(int Ordinal, int Sequence, MemberInfo Member, TextSpan Span)> membersByOrdinal = new();
    private readonly List<MemberInfo> allMembers = new();
    private readonly List<SchemaNode> groups = new();

    public StructTranslator(Compilation compilation, DeclaredNode scope, ImplicitParams? implicitParams = null)
    {
        this.compilation = compilation;
        this.scope = scope;
        this.implicitParams = implicitParams;
    }

    public void TranslateStruct()
    {
        var root = new MemberInfo(scope.Node);
        scope.Node.Struct = new StructNode();
        TraverseTopOrGroup(scope.Syntax.Members, root, layout);
        TranslateInternal(root);
    }

    public void TranslateParams(SchemaNode node, IReadOnlyList<Param> parameters)
    {
        var root = new MemberInfo(node);
        node.Struct = new StructNode();
        for (int i = 0; i < parameters.Count; i++)
        {
            var member = new MemberInfo(root, i, parameters[i].Name, DeclarationKind.Field, false) { Param = parameters[i], FieldScope = layout };
            root.ChildCount++;
            allMembers.Add(member);
            membersByOrdinal.Add((i, membersByOrdinal.Count, member, parameters[i].NameSpan));
        }

        TranslateInternal(root);
    }

    private void TraverseTopOrGroup(List<Declaration> members, MemberInfo parent, LayoutScope fieldScope)
    {
        int codeOrder = 0;
        foreach (var member in members)
        {
            switch (member.Kind)
            {
                case DeclarationKind.Field:
                    parent.ChildCount++;
                    AddOrdered(member, new MemberInfo(parent, codeOrder++, member.Name, member.Kind, false) { Declaration = member, FieldScope = fieldScope });
                    break;
                case DeclarationKind.Union:
                    var unionLayout = new UnionLayout(fieldScope);
                    if (member.Name.Length == 0)
                    {
                        // An unnamed union's members belong to the enclosing scope and share its code order.
                        parent.UnionScope = unionLayout;
                        TraverseUnion(member, parent, unionLayout, ref codeOrder);
                    }
                    else
                    {
                        parent.ChildCount++;
                        var named = NewGroup(parent, codeOrder++, member, false);
                        named.UnionScope = unionLayout;
                        int subCodeOrder = 0;
                        TraverseUnion(member, named, unionLayout, ref subCodeOrder);
                        AddUnionOrdinal(member, named);
                    }

                    break;
                case DeclarationKind.Group:
                    parent.ChildCount++;
                    var group = NewGroup(parent, codeOrder++, member, false);
                    TraverseGroup(member, group, fieldScope);
                    break;
            }
        }
    }

    private void TraverseUnion(Declaration union, MemberInfo parent, UnionLayout unionLayout, ref int codeOrder)
    {
        if (union.Members.Count(m => m.Kind is DeclarationKind.Field or DeclarationKind.Union or DeclarationKind.Group) < 2)
        {
            compilation.Error(scope.File, union.Span, "Union must have at least two members.");
        }

        foreach (var member in union.Members)
        {
            switch (member.Kind)
            {
                case DeclarationKind.Field:
                    parent.ChildCount++;
                    AddOrdered(member, new MemberInfo(parent, codeOrder++, member.Name, member.Kind, true) { Declaration = member, FieldScope = new GroupLayout(unionLayout) });
                    break;
                case DeclarationKind.Union when member.Name.Length == 0:
                    compilation.Error(scope.File, member.Span, "Unions cannot contain unnamed unions.");
                    break;
                case DeclarationKind.Union:
                    parent.ChildCount++;
                    var innerLayout = new UnionLayout(new GroupLayout(unionLayout));
                    var named = NewGroup(parent, codeOrder++, member, true);
                    named.UnionScope = innerLayout;
                    int subCodeOrder = 0;
                    TraverseUnion(member, named, innerLayout, ref subCodeOrder);
                    AddUnionOrdinal(member, named);
                    break;
                case DeclarationKind.Group:
                    parent.ChildCount++;
                    var group = NewGroup(parent, codeOrder++, member, true);
                    TraverseGroup(member, group, new GroupLayout(unionLayout));
                    break;
            }
        }
    }

    private void TraverseGroup(Declaration group, MemberInfo info, LayoutScope fieldScope)
    {
        if (!group.Members.Any(m => m.Kind is DeclarationKind.Field or DeclarationKind.Union or DeclarationKind.Group))
        {
            compilation.Error(scope.File, group.Span, "Group must have at least one member.");
        }

        TraverseTopOrGroup(group.Members, info, fieldScope);
    }

    private MemberInfo NewGroup(MemberInfo parent, int codeOrder, Declaration declaration, bool isInUnion)
    {
        var parentNode = parent.Node!;
        string displayName = parentNode.DisplayName + "." + declaration.Name;
        var node = new SchemaNode(SchemaNodeKind.Struct, 0, displayName, displayName.Length - declaration.Name.Length, 0)
        {
            IsGeneric = parentNode.IsGeneric,
            Struct = new StructNode { IsGroup = true },
            DocComment = declaration.DocComment,
            Location = scope.File.Source.Locate(declaration.NameSpan),
        };
        groups.Add(node);
        var member = new MemberInfo(parent, codeOrder, declaration.Name, declaration.Kind, isInUnion) { Declaration = declaration, Node = node };
        allMembers.Add(member);
        return member;
    }

    private void AddOrdered(Declaration declaration, MemberInfo member)
    {
        allMembers.Add(member);
        membersByOrdinal.Add((declaration.Ordinal ?? 0, membersByOrdinal.Count, member, declaration.IdSpan));
    }

    private void AddUnionOrdinal(Declaration union, MemberInfo member)
    {
        if (union.Ordinal is { } ordinal)
        {
            membersByOrdinal.Add((ordinal, membersByOrdinal.Count, member, union.IdSpan));
        }
    }

    private void TranslateInternal(MemberInfo root)
    {
        var ordinals = new OrdinalChecker(compilation, scope.File);
        foreach (var (ordinal, _, member, span) in membersByOrdinal.OrderBy(m => m.Ordinal).ThenBy(m => m.Sequence))
        {
            ordinals.Check(ordinal, span);
            var field = member.GetSchema();
            field.Ordinal = ordinal;
            if (member.Kind == DeclarationKind.Union)
            {
                if (!member.UnionScope!.AddDiscriminant())
                {
                    compilation.Error(scope.File, span, "Union ordinal, if specified, must be greater than no more than one of its member ordinals (i.e. there can only be one field retroactively unionized).");
                }

                continue;
            }

            LayOutSlot(member, field);
        }

        root.FinishGroup(compilation);
        foreach (var member in allMembers)
        {
            var field = member.GetSchema();
            var declaration = member.Declaration;
            field.DocComment = declaration?.DocComment;
            field.Location = scope.File.Source.Locate(declaration?.NameSpan ?? member.Param!.NameSpan);
            AnnotationTargets target;
            if (member.Param is not null)
            {
                target = AnnotationTargets.Param;
            }
            else if (member.Kind == DeclarationKind.Field)
            {
                target = AnnotationTargets.Field;
            }
            else
            {
                member.FinishGroup(compilation);
                target = member.Kind == DeclarationKind.Union ? AnnotationTargets.Union : AnnotationTargets.Group;
            }

            var annotations = member.Param?.Annotations ?? declaration!.Annotations;
            compilation.Values.DeferAnnotations(annotations, scope, target, list => field.Annotations = list);
        }

        var top = root.Node!.Struct!;
        top.DataWordCount = (int)layout.DataWordCount;
        top.PointerCount = (int)layout.PointerCount;
        foreach (var group in groups)
        {
            group.Struct!.DataWordCount = top.DataWordCount;
            group.Struct.PointerCount = top.PointerCount;
        }
    }

    private void LayOutSlot(MemberInfo member, SchemaField field)
    {
        var typeSyntax = member.Param?.Type ?? ((FieldDeclaration)member.Declaration!).Type;
        var defaultSyntax = member.Param?.DefaultValue ?? (member.Declaration as FieldDeclaration)?.DefaultValue;
        var type = compilation.Resolver.CompileType(typeSyntax, scope, implicitParams);
        field.Type = type;
        field.DefaultValue = SchemaValue.DefaultOf(type);
        if (defaultSyntax is not null)
        {
            field.HadExplicitDefault = true;
            if (!(member.Param is not null && defaultSyntax is NameExpression { Name: "null", Absolute: false }))
            {
                compilation.DeferredValues.Add(() => field.DefaultValue = compilation.Values.Compile(defaultSyntax, type, scope));
            }
            else if (!type.IsPointer)
            {
                compilation.Error(scope.File, defaultSyntax.Span, "Only pointer parameters can declare their default as 'null'.");
            }
        }

        if (type.DataLgSize is not { } lgSize)
        {
            field.Offset = (int)member.FieldScope!.AddPointer();
        }
        else if (lgSize < 0)
        {
            member.FieldScope!.AddVoid();
            field.Offset = 0;
        }
        else
        {
            field.Offset = (int)member.FieldScope!.AddData((uint)lgSize);
        }
    }
}
