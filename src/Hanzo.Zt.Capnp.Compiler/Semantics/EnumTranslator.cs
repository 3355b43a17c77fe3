using Hanzo.Zt.Capnp.Compiler.Syntax;

namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>Orders an enum's enumerants by ordinal; an enumerant's value is its position.</summary>
internal static class EnumTranslator
{
    public static void Translate(Compilation compilation, DeclaredNode node)
    {
        var declarations = node.Syntax.Members.Where(m => m.Kind == DeclarationKind.Enumerant)
            .Select((m, codeOrder) => (Declaration: m, CodeOrder: codeOrder))
            .OrderBy(e => e.Declaration.Ordinal)
            .ToList();
        var ordinals = new OrdinalChecker(compilation, node.File);
        var enumerants = new List<SchemaEnumerant>();
        foreach (var (declaration, codeOrder) in declarations)
        {
            ordinals.Check(declaration.Ordinal ?? 0, declaration.IdSpan);
            var enumerant = new SchemaEnumerant(declaration.Name, codeOrder) { DocComment = declaration.DocComment };
            compilation.Values.DeferAnnotations(declaration.Annotations, node, AnnotationTargets.Enumerant, list => enumerant.Annotations = list);
            enumerants.Add(enumerant);
        }

        node.Node.Enum = new EnumNode { Enumerants = enumerants };
    }
}
