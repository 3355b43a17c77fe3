using Hanzo.Zt.Capnp.Compiler.Syntax;

namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>Compiles an annotation declaration's value type and target list.</summary>
internal static class AnnotationDeclarationTranslator
{
    private static readonly Dictionary<string, AnnotationTargets> TargetNames = new(StringComparer.Ordinal)
    {
        ["file"] = AnnotationTargets.File,
        ["const"] = AnnotationTargets.Const,
        ["enum"] = AnnotationTargets.Enum,
        ["enumerant"] = AnnotationTargets.Enumerant,
        ["struct"] = AnnotationTargets.Struct,
        ["field"] = AnnotationTargets.Field,
        ["union"] = AnnotationTargets.Union,
        ["group"] = AnnotationTargets.Group,
        ["interface"] = AnnotationTargets.Interface,
        ["method"] = AnnotationTargets.Method,
        ["param"] = AnnotationTargets.Param,
        ["annotation"] = AnnotationTargets.Annotation,
        ["*"] = AnnotationTargets.All,
    };

    public static void Translate(Compilation compilation, DeclaredNode node)
    {
        var syntax = (AnnotationDeclaration)node.Syntax;
        var targets = AnnotationTargets.None;
        foreach (var (name, span) in syntax.Targets)
        {
            if (TargetNames.TryGetValue(name, out var target))
            {
                targets |= target;
            }
            else
            {
                compilation.Error(node.File, span, "Not a valid annotation target.");
            }
        }

        node.Node.Annotation = new AnnotationNode { Type = compilation.Resolver.CompileType(syntax.Type, node), Targets = targets };
    }
}
