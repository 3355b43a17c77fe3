using Hanzo.Zt.Capnp.Compiler.Syntax;

namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>Per-scope naming rules: no duplicates, capitalization by kind, no underscores, members only where they belong.</summary>
internal static class NameChecker
{
    public static void Check(Compilation compilation, ParsedFile file, List<Declaration> members, DeclarationKind parentKind) =>
        Check(compilation, file, members, parentKind, new Dictionary<string, Declaration>(StringComparer.Ordinal));

    private static void Check(Compilation compilation, ParsedFile file, List<Declaration> members, DeclarationKind parentKind, Dictionary<string, Declaration> names)
    {
        foreach (var declaration in members)
        {
            string name = declaration.Name;
            if (names.TryGetValue(name, out var previous))
            {
                if (name.Length == 0 && declaration.Kind == DeclarationKind.Union)
                {
                    compilation.Error(file, declaration.NameSpan, "An unnamed union is already defined in this scope.");
                    compilation.Error(file, previous.NameSpan, "Previously defined here.");
                }
                else
                {
                    compilation.Error(file, declaration.NameSpan, $"'{name}' is already defined in this scope.");
                    compilation.Error(file, previous.NameSpan, $"'{name}' previously defined here.");
                }
            }
            else
            {
                names[name] = declaration;
            }

            bool isType = declaration.Kind is DeclarationKind.Struct or DeclarationKind.Enum or DeclarationKind.Interface;
            if (name.Length > 0 && declaration.Kind != DeclarationKind.Using)
            {
                if (isType && !char.IsUpper(name[0]))
                {
                    compilation.Error(file, declaration.NameSpan, "Type names must begin with a capital letter.");
                }
                else if (!isType && !char.IsLower(name[0]))
                {
                    compilation.Error(file, declaration.NameSpan, "Non-type names must begin with a lower-case letter.");
                }
            }

            if (name.IndexOf('_') >= 0)
            {
                compilation.Error(file, declaration.NameSpan, "Cap'n Proto declaration names should use camelCase and must not contain underscores. (Code generators may convert names to the appropriate style for the target language.)");
            }

            CheckPlacement(compilation, file, declaration, parentKind);
            if (declaration.Kind is DeclarationKind.Field or DeclarationKind.Union or DeclarationKind.Group)
            {
                if (name.Length == 0)
                {
                    Check(compilation, file, declaration.Members, declaration.Kind, names);
                }
                else
                {
                    Check(compilation, file, declaration.Members, declaration.Kind);
                }
            }
            else if (declaration.Kind == DeclarationKind.Enum)
            {
                Check(compilation, file, declaration.Members, declaration.Kind);
            }
        }
    }

    private static void CheckPlacement(Compilation compilation, ParsedFile file, Declaration declaration, DeclarationKind parentKind)
    {
        string? problem = declaration.Kind switch
        {
            DeclarationKind.Using or DeclarationKind.Const or DeclarationKind.Enum or DeclarationKind.Struct
                or DeclarationKind.Interface or DeclarationKind.Annotation
                when parentKind is not (DeclarationKind.File or DeclarationKind.Struct or DeclarationKind.Interface)
                => "This kind of declaration doesn't belong here.",
            DeclarationKind.Enumerant when parentKind != DeclarationKind.Enum => "Enumerants can only appear in enums.",
            DeclarationKind.Method when parentKind != DeclarationKind.Interface => "Methods can only appear in interfaces.",
            DeclarationKind.Field or DeclarationKind.Union or DeclarationKind.Group
                when parentKind is not (DeclarationKind.Struct or DeclarationKind.Union or DeclarationKind.Group)
                => "This declaration can only appear in structs.",
            _ => null,
        };
        if (problem is not null)
        {
            compilation.Error(file, declaration.Span, problem);
        }
    }
}
