using Hanzo.Zt.Capnp.Compiler.Syntax;

namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>A node under construction with the scope information name lookup needs.</summary>
internal sealed class DeclaredNode
{
    public DeclaredNode(SchemaNode node, Declaration syntax, DeclaredNode? parent, ParsedFile file)
    {
        Node = node;
        Syntax = syntax;
        Parent = parent;
        File = file;
    }

    public SchemaNode Node { get; }

    public Declaration Syntax { get; }

    public DeclaredNode? Parent { get; }

    public ParsedFile File { get; }

    public Dictionary<string, DeclaredNode> Children { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, UsingDeclaration> Aliases { get; } = new(StringComparer.Ordinal);

    public CompileState State { get; set; }

    public bool IsGenericScope => Syntax.TypeParameters.Count > 0;

    public bool Encloses(DeclaredNode? scope)
    {
        for (var s = scope; s is not null; s = s.Parent)
        {
            if (s == this)
            {
                return true;
            }
        }

        return false;
    }
}
