using Hanzo.Zt.Capnp.Compiler.Syntax;

namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>Compiles an interface's superclasses and methods, creating the implicit <c>method$Params</c>/<c>method$Results</c> structs.</summary>
internal sealed class InterfaceTranslator
{
    private readonly Compilation compilation;
    private readonly DeclaredNode node;

    public InterfaceTranslator(Compilation compilation, DeclaredNode node)
    {
        this.compilation = compilation;
        this.node = node;
    }

    public void Translate()
    {
        var syntax = (InterfaceDeclaration)node.Syntax;
        var superclasses = new List<SchemaSuperclass>();
        foreach (var expression in syntax.Superclasses)
        {
            var type = compilation.Resolver.CompileType(expression, node);
            if (type.Kind == TypeKind.Interface)
            {
                superclasses.Add(new SchemaSuperclass(type.TypeId, type.Brand));
            }
            else if (type.Kind != TypeKind.Void)
            {
                compilation.Error(node.File, expression.Span, "Superclass must be an interface.");
            }
        }

        var declarations = syntax.Members.OfType<MethodDeclaration>()
            .Select((m, codeOrder) => (Method: m, CodeOrder: codeOrder))
            .OrderBy(m => m.Method.Ordinal)
            .ToList();
        var ordinals = new OrdinalChecker(compilation, node.File);
        var methods = new List<SchemaMethod>();
        foreach (var (declaration, codeOrder) in declarations)
        {
            int ordinal = declaration.Ordinal ?? 0;
            ordinals.Check(ordinal, declaration.IdSpan);
            var implicitParams = new ImplicitParams(declaration.TypeParameters.Select(p => p.Name).ToList());
            var method = new SchemaMethod(declaration.Name, codeOrder, ordinal)
            {
                ImplicitParameters = implicitParams.Names,
                DocComment = declaration.DocComment,
            };
            (method.ParamStructType, method.ParamBrand) = CompileParamList(declaration, ordinal, false, declaration.Parameters, implicitParams);
            var results = declaration.Results ?? new ParamList(declaration.NameSpan, Array.Empty<Param>(), null);
            (method.ResultStructType, method.ResultBrand) = CompileParamList(declaration, ordinal, true, results, implicitParams);
            compilation.Values.DeferAnnotations(declaration.Annotations, node, AnnotationTargets.Method, list => method.Annotations = list);
            methods.Add(method);
        }

        node.Node.Interface = new InterfaceNode { Superclasses = superclasses, Methods = methods };
    }

    /// <summary>The id of <c>StreamResult</c> in the reference's <c>capnp/stream.capnp</c>.</summary>
    internal const ulong StreamResultId = 0x995f9a3377c0b16e;

    private (ulong Id, SchemaBrand Brand) CompileParamList(MethodDeclaration method, int ordinal, bool isResults, ParamList list, ImplicitParams implicitParams)
    {
        if (list.Named is null)
        {
            // `-> stream` names the reference's StreamResult (capnp/stream.capnp), an empty struct.
            if (isResults && list.Type is NameExpression { Name: "stream", Absolute: false })
            {
                return (StreamResultId, SchemaBrand.Empty);
            }

            var type = compilation.Resolver.CompileType(list.Type!, node, implicitParams);
            if (type.Kind != TypeKind.Struct)
            {
                if (type.Kind != TypeKind.Void)
                {
                    compilation.Error(node.File, list.Type!.Span, "Parameter and result types must be structs.");
                }

                return (0, SchemaBrand.Empty);
            }

            return (type.TypeId, type.Brand);
        }

        string typeName = method.Name + (isResults ? "$Results" : "$Params");
        string displayName = node.Node.DisplayName + "." + typeName;
        var paramsNode = new SchemaNode(SchemaNodeKind.Struct, TypeIds.MethodParamsId(node.Node.Id, ordinal, isResults), displayName, displayName.Length - typeName.Length, 0)
        {
            IsGeneric = node.Node.IsGeneric || implicitParams.Names.Count > 0,
            Parameters = implicitParams.Names,
            Location = node.File.Source.Locate(list.Span),
        };
        compilation.Nodes.Add(paramsNode);
        new StructTranslator(compilation, node, new ImplicitParams(implicitParams.Names, paramsNode.Id)).TranslateParams(paramsNode, list.Named);

        // The params struct is in the interface's scope, so a generic interface passes its parameters through.
        var scopes = new List<SchemaBrandScope>();
        for (var s = node; s is not null; s = s.Parent)
        {
            if (s.IsGenericScope)
            {
                scopes.Add(new SchemaBrandScope(s.Node.Id, null));
            }
        }

        return (paramsNode.Id, scopes.Count == 0 ? SchemaBrand.Empty : new SchemaBrand(scopes));
    }
}
