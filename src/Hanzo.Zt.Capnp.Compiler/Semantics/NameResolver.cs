using Hanzo.Zt.Capnp.Compiler.Syntax;

namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>Looks names up through the enclosing scopes, aliases, imports and builtins, and compiles type expressions.</summary>
internal sealed class NameResolver
{
    private static readonly Dictionary<string, SchemaType> Builtins = new(StringComparer.Ordinal)
    {
        ["Void"] = SchemaType.Void,
        ["Bool"] = SchemaType.Primitive(TypeKind.Bool),
        ["Int8"] = SchemaType.Primitive(TypeKind.Int8),
        ["Int16"] = SchemaType.Primitive(TypeKind.Int16),
        ["Int32"] = SchemaType.Primitive(TypeKind.Int32),
        ["Int64"] = SchemaType.Primitive(TypeKind.Int64),
        ["UInt8"] = SchemaType.Primitive(TypeKind.UInt8),
        ["UInt16"] = SchemaType.Primitive(TypeKind.UInt16),
        ["UInt32"] = SchemaType.Primitive(TypeKind.UInt32),
        ["UInt64"] = SchemaType.Primitive(TypeKind.UInt64),
        ["Float32"] = SchemaType.Primitive(TypeKind.Float32),
        ["Float64"] = SchemaType.Primitive(TypeKind.Float64),
        ["Text"] = SchemaType.Primitive(TypeKind.Text),
        ["Data"] = SchemaType.Primitive(TypeKind.Data),
        ["AnyPointer"] = SchemaType.AnyPointer(AnyPointerKind.AnyKind),
        ["AnyStruct"] = SchemaType.AnyPointer(AnyPointerKind.AnyStruct),
        ["AnyList"] = SchemaType.AnyPointer(AnyPointerKind.AnyList),
        ["Capability"] = SchemaType.AnyPointer(AnyPointerKind.Capability),
    };

    private readonly Compilation compilation;
    private readonly HashSet<UsingDeclaration> resolvingAliases = new();

    public NameResolver(Compilation compilation) => this.compilation = compilation;

    public Resolution? Resolve(Expression expression, DeclaredNode scope, ImplicitParams? implicitParams = null, bool report = true)
    {
        switch (expression)
        {
            case NameExpression name:
                return ResolveName(name, scope, implicitParams, report);
            case MemberExpression member:
                var target = Resolve(member.Target, scope, implicitParams, report);
                if (target is null)
                {
                    return null;
                }

                if (target.Kind == ResolutionKind.Node && LookupMember(target.Node!, member.Name) is { } found)
                {
                    return found.Kind == ResolutionKind.Node ? WithBindings(found, target.Bindings) : found;
                }

                return Fail(scope, member.NameSpan, $"Not defined: {member.Name}", report);
            case ImportExpression { Embed: false } import:
                var file = compilation.FindImport(scope.File, import.Path);
                return file?.Root is null ? null : new Resolution { Kind = ResolutionKind.Node, Node = file.Root };
            case ApplicationExpression application:
                return ResolveApplication(application, scope, implicitParams, report);
            case ErrorExpression:
                return null;
            default:
                return Fail(scope, expression.Span, "Expected a name.", report);
        }
    }

    public SchemaType CompileType(Expression expression, DeclaredNode scope, ImplicitParams? implicitParams = null)
    {
        var resolution = Resolve(expression, scope, implicitParams);
        if (resolution is null)
        {
            return SchemaType.Void;
        }

        switch (resolution.Kind)
        {
            case ResolutionKind.Builtin:
                return resolution.Builtin!;
            case ResolutionKind.ListBuiltin:
                compilation.Error(scope.File, expression.Span, "'List' requires exactly one parameter.");
                return SchemaType.Void;
            case ResolutionKind.Parameter:
                return SchemaType.Parameter(resolution.ParameterScopeId, resolution.ParameterIndex);
            case ResolutionKind.ImplicitParameter:
                return SchemaType.ImplicitParameter(resolution.ParameterIndex);
        }

        var node = resolution.Node!;
        var kind = node.Node.Kind switch
        {
            SchemaNodeKind.Struct => TypeKind.Struct,
            SchemaNodeKind.Enum => TypeKind.Enum,
            SchemaNodeKind.Interface => TypeKind.Interface,
            _ => (TypeKind?)null,
        };
        if (kind is null)
        {
            compilation.Error(scope.File, expression.Span, $"'{node.Node.DisplayName}' is not a type.");
            return SchemaType.Void;
        }

        return SchemaType.Named(kind.Value, node.Node.Id, BuildBrand(resolution, node, scope));
    }

    public SchemaBrand BuildBrand(Resolution resolution, DeclaredNode target, DeclaredNode from)
    {
        var scopes = new List<SchemaBrandScope>();
        for (var s = target; s is not null; s = s.Parent)
        {
            if (!s.IsGenericScope)
            {
                continue;
            }

            if (resolution.Bindings.TryGetValue(s.Node.Id, out var arguments))
            {
                scopes.Add(new SchemaBrandScope(s.Node.Id, arguments));
            }
            else if (s.Encloses(from))
            {
                scopes.Add(new SchemaBrandScope(s.Node.Id, null));
            }
        }

        return scopes.Count == 0 ? SchemaBrand.Empty : new SchemaBrand(scopes);
    }

    private Resolution? ResolveName(NameExpression name, DeclaredNode scope, ImplicitParams? implicitParams, bool report)
    {
        if (!name.Absolute)
        {
            int implicitIndex = implicitParams is null ? -1 : IndexOf(implicitParams.Names, name.Name);
            if (implicitIndex >= 0)
            {
                return implicitParams!.ParamStructId is { } structId
                    ? new Resolution { Kind = ResolutionKind.Parameter, ParameterScopeId = structId, ParameterIndex = implicitIndex }
                    : new Resolution { Kind = ResolutionKind.ImplicitParameter, ParameterIndex = implicitIndex };
            }

            for (var s = scope; s is not null; s = s.Parent)
            {
                if (LookupMember(s, name.Name) is { } found)
                {
                    return found;
                }

                int index = IndexOf(s.Syntax.TypeParameters.Select(p => p.Name).ToList(), name.Name);
                if (index >= 0)
                {
                    return new Resolution { Kind = ResolutionKind.Parameter, ParameterScopeId = s.Node.Id, ParameterIndex = index };
                }
            }

            if (Builtins.TryGetValue(name.Name, out var builtin))
            {
                return new Resolution { Kind = ResolutionKind.Builtin, Builtin = builtin };
            }

            if (name.Name == "List")
            {
                return new Resolution { Kind = ResolutionKind.ListBuiltin };
            }
        }
        else if (LookupMember(scope.File.Root!, name.Name) is { } found)
        {
            return found;
        }

        return Fail(scope, name.Span, $"Not defined: {name.Name}", report);
    }

    private Resolution? LookupMember(DeclaredNode scope, string name)
    {
        if (scope.Children.TryGetValue(name, out var child))
        {
            return new Resolution { Kind = ResolutionKind.Node, Node = child };
        }

        if (!scope.Aliases.TryGetValue(name, out var alias) || !resolvingAliases.Add(alias))
        {
            return null;
        }

        try
        {
            // The alias target is looked up from the scope that declares the alias.
            return Resolve(alias.Target, scope);
        }
        finally
        {
            resolvingAliases.Remove(alias);
        }
    }

    private Resolution? ResolveApplication(ApplicationExpression application, DeclaredNode scope, ImplicitParams? implicitParams, bool report)
    {
        var target = Resolve(application.Target, scope, implicitParams, report);
        if (target is null)
        {
            return null;
        }

        var arguments = application.Arguments.Select(a => (SchemaType?)CompileType(a.Value, scope, implicitParams)).ToList();
        if (target.Kind == ResolutionKind.ListBuiltin)
        {
            if (arguments.Count != 1)
            {
                return Fail(scope, application.Span, "'List' requires exactly one parameter.", report);
            }

            return new Resolution { Kind = ResolutionKind.Builtin, Builtin = SchemaType.List(arguments[0]!) };
        }

        if (target.Kind != ResolutionKind.Node || !target.Node!.IsGenericScope)
        {
            return Fail(scope, application.Target.Span, "Declaration does not accept generic parameters.", report);
        }

        int expected = target.Node.Syntax.TypeParameters.Count;
        if (arguments.Count > expected)
        {
            return Fail(scope, application.Span, "Too many generic parameters.", report);
        }

        while (arguments.Count < expected)
        {
            arguments.Add(null);
        }

        var bindings = new Dictionary<ulong, IReadOnlyList<SchemaType?>>(target.Bindings) { [target.Node.Node.Id] = arguments };
        return new Resolution { Kind = ResolutionKind.Node, Node = target.Node, Bindings = bindings };
    }

    private static Resolution WithBindings(Resolution resolution, Dictionary<ulong, IReadOnlyList<SchemaType?>> bindings)
    {
        if (bindings.Count == 0)
        {
            return resolution;
        }

        var merged = new Dictionary<ulong, IReadOnlyList<SchemaType?>>(bindings);
        foreach (var pair in resolution.Bindings)
        {
            merged[pair.Key] = pair.Value;
        }

        return new Resolution { Kind = resolution.Kind, Node = resolution.Node, Bindings = merged };
    }

    private Resolution? Fail(DeclaredNode scope, TextSpan span, string message, bool report)
    {
        if (report)
        {
            compilation.Error(scope.File, span, message);
        }

        return null;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
