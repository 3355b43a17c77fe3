using System.Text;
using Hanzo.Zt.Capnp.Compiler.Syntax;

namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>Evaluates value expressions against the type they must have: literals, enumerants, struct and list literals, constants.</summary>
internal sealed class ValueCompiler
{
    private readonly Compilation compilation;

    public ValueCompiler(Compilation compilation) => this.compilation = compilation;

    public void EvaluateConst(DeclaredNode node)
    {
        if (node.State == CompileState.Done)
        {
            return;
        }

        var syntax = (ConstDeclaration)node.Syntax;
        if (node.State == CompileState.InProgress)
        {
            compilation.Error(node.File, syntax.Value.Span, "Constant definition is cyclic.");
            return;
        }

        node.State = CompileState.InProgress;
        var constNode = node.Node.Const!;
        constNode.Value = Compile(syntax.Value, constNode.Type, node);
        node.State = CompileState.Done;
    }

    public void DeferAnnotations(List<AnnotationApplicationSyntax> applications, DeclaredNode scope, AnnotationTargets target, Action<IReadOnlyList<SchemaAnnotation>> assign)
    {
        if (applications.Count > 0)
        {
            compilation.DeferredValues.Add(() => assign(CompileAnnotations(applications, scope, target)));
        }
    }

    public SchemaValue Compile(Expression expression, SchemaType type, DeclaredNode scope, IReadOnlyList<SchemaBrand>? brands = null)
    {
        var kind = type.Kind;
        switch (expression)
        {
            case IntegerExpression integer when kind is TypeKind.Float32 or TypeKind.Float64:
                return SchemaValue.FromFloat(kind, integer.Negative ? 0.0 - integer.Magnitude : integer.Magnitude);
            case IntegerExpression integer:
                return CompileInteger(integer, type, scope);
            case FloatExpression number when kind is TypeKind.Float32 or TypeKind.Float64:
                return SchemaValue.FromFloat(kind, kind == TypeKind.Float32 ? (float)number.Value : number.Value);
            case StringExpression text when kind == TypeKind.Text:
                return SchemaValue.FromText(text.Value);
            case StringExpression text when kind == TypeKind.Data:
                return SchemaValue.FromData(text.Bytes);
            case BinaryExpression data when kind == TypeKind.Data:
                return SchemaValue.FromData(data.Value);
            case ListExpression list when kind == TypeKind.List:
                return SchemaValue.FromList(list.Items.Select(i => Compile(i, Bind(type.ElementType!, brands), scope, brands)).ToList());
            case TupleExpression tuple when kind == TypeKind.Struct:
                return CompileStruct(tuple, type, scope, brands);
            case ImportExpression { Embed: true } embed when kind is TypeKind.Data or TypeKind.Text:
                return CompileEmbed(embed, kind, scope);
            case NameExpression { Absolute: false } name when LiteralName(name.Name, type) is { } literal:
                return literal;
            case NameExpression or MemberExpression:
                return CompileReference(expression, type, scope);
            case ErrorExpression:
                return SchemaValue.DefaultOf(type);
        }

        return Mismatch(expression, type, scope);
    }

    private SchemaValue CompileInteger(IntegerExpression integer, SchemaType type, DeclaredNode scope)
    {
        var (min, max) = type.Kind switch
        {
            TypeKind.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            TypeKind.Int16 => (short.MinValue, short.MaxValue),
            TypeKind.Int32 => (int.MinValue, int.MaxValue),
            TypeKind.Int64 => (long.MinValue, long.MaxValue),
            TypeKind.UInt8 or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64 => (0L, 0L),
            _ => (1L, 0L),
        };
        if (min > max)
        {
            return Mismatch(integer, type, scope);
        }

        if (min == 0 && max == 0)
        {
            ulong limit = type.Kind switch { TypeKind.UInt8 => byte.MaxValue, TypeKind.UInt16 => ushort.MaxValue, TypeKind.UInt32 => uint.MaxValue, _ => ulong.MaxValue };
            if (!integer.InRange || (integer.Negative && integer.Magnitude != 0) || integer.Magnitude > limit)
            {
                return OutOfRange(integer, type, scope);
            }

            return SchemaValue.FromUnsigned(type.Kind, integer.Magnitude);
        }

        bool fits = integer.InRange && (integer.Negative ? integer.Magnitude <= (ulong)max + 1 : integer.Magnitude <= (ulong)max);
        if (!fits)
        {
            return OutOfRange(integer, type, scope);
        }

        long value = integer.Negative ? (long)(0 - integer.Magnitude) : (long)integer.Magnitude;
        return SchemaValue.FromSigned(type.Kind, value);
    }

    private SchemaValue OutOfRange(Expression expression, SchemaType type, DeclaredNode scope)
    {
        compilation.Error(scope.File, expression.Span, "Integer value out of range.");
        return SchemaValue.DefaultOf(type);
    }

    private static SchemaValue? LiteralName(string name, SchemaType type)
    {
        switch (type.Kind)
        {
            case TypeKind.Void when name == "void":
                return SchemaValue.VoidValue;
            case TypeKind.Bool when name is "true" or "false":
                return SchemaValue.FromBool(name == "true");
            case TypeKind.Float32 or TypeKind.Float64 when name is "inf" or "nan":
                return SchemaValue.FromFloat(type.Kind, name == "inf" ? double.PositiveInfinity : double.NaN);
            case TypeKind.Text or TypeKind.Data or TypeKind.List or TypeKind.Struct or TypeKind.Interface or TypeKind.AnyPointer when name == "null":
                return SchemaValue.Null(type.Kind);
        }

        return null;
    }

    private SchemaValue CompileReference(Expression expression, SchemaType type, DeclaredNode scope)
    {
        if (type.Kind == TypeKind.Enum && expression is NameExpression { Absolute: false } name
            && compilation.TryGetDeclared(type.TypeId, out var enumNode) && enumNode.Node.Enum is { } enumInfo)
        {
            for (int i = 0; i < enumInfo.Enumerants.Count; i++)
            {
                if (enumInfo.Enumerants[i].Name == name.Name)
                {
                    return SchemaValue.FromEnum(i);
                }
            }
        }

        var resolution = compilation.Resolver.Resolve(expression, scope);
        if (resolution is null)
        {
            return SchemaValue.DefaultOf(type);
        }

        if (resolution.Kind != ResolutionKind.Node || resolution.Node!.Node.Kind != SchemaNodeKind.Const)
        {
            compilation.Error(scope.File, expression.Span, $"'{DescribeExpression(expression)}' does not refer to a constant.");
            return SchemaValue.DefaultOf(type);
        }

        var constant = resolution.Node;
        EvaluateConst(constant);
        var constType = constant.Node.Const!.Type;
        var value = constant.Node.Const.Value;
        if (SameType(constType, type))
        {
            return value;
        }

        // A numeric constant converts to another numeric type when the value fits.
        if (IsNumeric(constType.Kind) && IsNumeric(type.Kind))
        {
            return Compile(NumericLiteral(value, expression.Span), type, scope);
        }

        return Mismatch(expression, type, scope);
    }

    private SchemaValue CompileStruct(TupleExpression tuple, SchemaType type, DeclaredNode scope, IReadOnlyList<SchemaBrand>? outer)
    {
        if (!compilation.TryGetDeclared(type.TypeId, out var target) || target.Node.Struct is null)
        {
            return SchemaValue.DefaultOf(type);
        }

        var brands = new List<SchemaBrand> { type.Brand };
        brands.AddRange(outer ?? Array.Empty<SchemaBrand>());
        return CompileStructFields(tuple, target.Node.Struct, scope, brands);
    }

    // A field typed by a parameter takes the type the brands in scope (innermost first) bind it to:
    // Box(Text).value is Text, and inside Pair(Text, Item) a Box(B) holds an Item.
    private static SchemaType Bind(SchemaType type, IReadOnlyList<SchemaBrand>? brands)
    {
        foreach (var brand in brands ?? Array.Empty<SchemaBrand>())
        {
            if (type.Kind != TypeKind.AnyPointer || type.AnyPointerKind != AnyPointerKind.Parameter)
            {
                break;
            }

            var bindings = brand.Scopes.FirstOrDefault(s => s.ScopeId == type.ParameterScopeId)?.Bindings;
            if (bindings is not null && type.ParameterIndex < bindings.Count && bindings[type.ParameterIndex] is { } bound)
            {
                type = bound;
            }
        }

        return type;
    }

    private SchemaValue CompileStructFields(TupleExpression tuple, StructNode structNode, DeclaredNode scope, IReadOnlyList<SchemaBrand> brands)
    {
        var assigned = new List<KeyValuePair<string, SchemaValue>>();
        foreach (var element in tuple.Elements)
        {
            if (element.Name is null)
            {
                compilation.Error(scope.File, element.Value.Span, "Missing field name.");
                continue;
            }

            var field = structNode.Fields.FirstOrDefault(f => f.Name == element.Name);
            if (field is null)
            {
                compilation.Error(scope.File, element.NameSpan, $"Struct has no field named '{element.Name}'.");
                continue;
            }

            if (assigned.Any(a => a.Key == element.Name))
            {
                compilation.Error(scope.File, element.NameSpan, $"Field '{element.Name}' already set.");
                continue;
            }

            SchemaValue value;
            if (field.IsGroup)
            {
                var group = compilation.Nodes.FirstOrDefault(n => n.Id == field.GroupTypeId)?.Struct;
                value = element.Value is TupleExpression inner && group is not null
                    ? CompileStructFields(inner, group, scope, brands)
                    : MismatchText(element.Value, "group", scope);
            }
            else
            {
                value = Compile(element.Value, Bind(field.Type!, brands), scope, brands);
            }

            assigned.Add(new KeyValuePair<string, SchemaValue>(element.Name, value));
        }

        return SchemaValue.FromStruct(assigned);
    }

    private SchemaValue CompileEmbed(ImportExpression embed, TypeKind kind, DeclaredNode scope)
    {
        string path = embed.Path.StartsWith("/", StringComparison.Ordinal)
            ? embed.Path.TrimStart('/')
            : SchemaPath.Combine(SchemaPath.Directory(scope.File.ActualPath), embed.Path);
        if (!compilation.Loader.TryRead(path, out var text))
        {
            compilation.Error(scope.File, embed.Span, $"Couldn't read file for embed: {embed.Path}");
            return SchemaValue.Null(kind);
        }

        return kind == TypeKind.Text ? SchemaValue.FromText(text) : SchemaValue.FromData(Encoding.UTF8.GetBytes(text));
    }

    private IReadOnlyList<SchemaAnnotation> CompileAnnotations(List<AnnotationApplicationSyntax> applications, DeclaredNode scope, AnnotationTargets target)
    {
        var result = new List<SchemaAnnotation>();
        foreach (var application in applications)
        {
            var resolution = compilation.Resolver.Resolve(application.Name, scope);
            if (resolution is null)
            {
                continue;
            }

            var declaration = resolution.Node?.Node.Annotation;
            if (declaration is null)
            {
                compilation.Error(scope.File, application.Name.Span, $"'{DescribeExpression(application.Name)}' is not an annotation.");
                continue;
            }

            if ((declaration.Targets & target) == 0)
            {
                compilation.Error(scope.File, application.Name.Span, $"'{resolution.Node!.Node.Name}' cannot be applied to this kind of declaration.");
            }

            SchemaValue value;
            if (application.Value is null)
            {
                value = declaration.Type.Kind == TypeKind.Void ? SchemaValue.VoidValue : MismatchText(application.Name, "a value", scope);
            }
            else
            {
                value = Compile(application.Value, declaration.Type, scope);
            }

            result.Add(new SchemaAnnotation(resolution.Node!.Node.Id, compilation.Resolver.BuildBrand(resolution, resolution.Node, scope), value));
        }

        return result;
    }

    private static bool IsNumeric(TypeKind kind) => kind is >= TypeKind.Int8 and <= TypeKind.Float64;

    private static Expression NumericLiteral(SchemaValue value, TextSpan span) => value.Kind switch
    {
        TypeKind.Float32 or TypeKind.Float64 => new FloatExpression(span, value.Float),
        TypeKind.UInt8 or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64 => new IntegerExpression(span, value.UInt, negative: false, inRange: true),
        _ => new IntegerExpression(span, value.Int < 0 ? 0 - (ulong)value.Int : (ulong)value.Int, value.Int < 0, inRange: true),
    };

    private static bool SameType(SchemaType a, SchemaType b) =>
        a.Kind == b.Kind && (a.Kind switch
        {
            TypeKind.List => SameType(a.ElementType!, b.ElementType!),
            TypeKind.Enum or TypeKind.Struct or TypeKind.Interface => a.TypeId == b.TypeId,
            _ => true,
        });

    private SchemaValue Mismatch(Expression expression, SchemaType type, DeclaredNode scope) =>
        MismatchText(expression, TypeName(type), scope, type);

    private SchemaValue MismatchText(Expression expression, string expected, DeclaredNode scope, SchemaType? type = null)
    {
        compilation.Error(scope.File, expression.Span, $"Type mismatch; expected {expected}.");
        return type is null ? SchemaValue.VoidValue : SchemaValue.DefaultOf(type);
    }

    private string TypeName(SchemaType type) => type.Kind switch
    {
        TypeKind.List => $"List({TypeName(type.ElementType!)})",
        TypeKind.Enum or TypeKind.Struct or TypeKind.Interface when compilation.TryGetDeclared(type.TypeId, out var node) => node.Node.Name,
        _ => type.ToString(),
    };

    private static string DescribeExpression(Expression expression) => expression switch
    {
        NameExpression name => (name.Absolute ? "." : string.Empty) + name.Name,
        MemberExpression member => DescribeExpression(member.Target) + "." + member.Name,
        _ => "expression",
    };
}
