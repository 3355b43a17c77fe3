using Hanzo.Zt.Capnp.Compiler.Syntax;

namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>Finds every <c>import "..."</c> in a file, so all files are loaded before names are resolved.</summary>
internal static class ImportCollector
{
    public static List<ImportExpression> Collect(Declaration file)
    {
        var found = new List<ImportExpression>();
        Visit(file, found);
        return found;
    }

    private static void Visit(Declaration declaration, List<ImportExpression> found)
    {
        foreach (var annotation in declaration.Annotations)
        {
            Visit(annotation, found);
        }

        switch (declaration)
        {
            case UsingDeclaration u:
                Visit(u.Target, found);
                break;
            case ConstDeclaration c:
                Visit(c.Type, found);
                Visit(c.Value, found);
                break;
            case FieldDeclaration f:
                Visit(f.Type, found);
                Visit(f.DefaultValue, found);
                break;
            case InterfaceDeclaration i:
                i.Superclasses.ForEach(s => Visit(s, found));
                break;
            case MethodDeclaration m:
                Visit(m.Parameters, found);
                Visit(m.Results, found);
                break;
            case AnnotationDeclaration a:
                Visit(a.Type, found);
                break;
        }

        foreach (var member in declaration.Members)
        {
            Visit(member, found);
        }
    }

    private static void Visit(AnnotationApplicationSyntax annotation, List<ImportExpression> found)
    {
        Visit(annotation.Name, found);
        Visit(annotation.Value, found);
    }

    private static void Visit(ParamList? list, List<ImportExpression> found)
    {
        if (list is null)
        {
            return;
        }

        Visit(list.Type, found);
        foreach (var param in list.Named ?? Array.Empty<Param>())
        {
            Visit(param.Type, found);
            Visit(param.DefaultValue, found);
            param.Annotations.ForEach(a => Visit(a, found));
        }
    }

    private static void Visit(Expression? expression, List<ImportExpression> found)
    {
        switch (expression)
        {
            case ImportExpression import when !import.Embed:
                found.Add(import);
                break;
            case MemberExpression member:
                Visit(member.Target, found);
                break;
            case ApplicationExpression application:
                Visit(application.Target, found);
                foreach (var argument in application.Arguments)
                {
                    Visit(argument.Value, found);
                }

                break;
            case TupleExpression tuple:
                foreach (var element in tuple.Elements)
                {
                    Visit(element.Value, found);
                }

                break;
            case ListExpression list:
                list.Items.ToList().ForEach(i => Visit(i, found));
                break;
        }
    }
}
