using Hanzo.Zt.Capnp.Compiler.Syntax;

namespace Hanzo.Zt.Capnp.Compiler.Semantics;

/// <summary>
/// One compiler run: loads the requested files and everything they import, declares every node
/// (ids, names, scopes), then translates them (layouts, methods), then evaluates values
/// (defaults, constants, annotations), the order in which each step has what it needs.
/// </summary>
internal sealed class Compilation
{
    private readonly SchemaCompilerOptions options;
    private readonly List<ParsedFile> files = new();
    private readonly Dictionary<string, ParsedFile> filesByPath = new(StringComparer.Ordinal);
    private readonly List<DeclaredNode> declared = new();
    private readonly Dictionary<ulong, DeclaredNode> declaredById = new();

    public Compilation(SchemaCompilerOptions options)
    {
        this.options = options;
        Resolver = new NameResolver(this);
        Values = new ValueCompiler(this);
    }

    public DiagnosticBag Diagnostics { get; } = new();

    public List<SchemaNode> Nodes { get; } = new();

    public NameResolver Resolver { get; }

    public ValueCompiler Values { get; }

    public ISchemaFileLoader Loader => options.Loader;

    // Values are evaluated after every struct is laid out: struct literals need the target's fields.
    public List<Action> DeferredValues { get; } = new();

    public void Error(ParsedFile file, TextSpan span, string message) => Diagnostics.Error(file.Source, span, message);

    public bool TryGetDeclared(ulong id, out DeclaredNode node) => declaredById.TryGetValue(id, out node!);

    public CompilationResult Run(IEnumerable<SchemaSource> sources)
    {
        foreach (var source in sources)
        {
            string display = SchemaPath.Normalize(source.Path);
            if (source.Text is not null)
            {
                AddFile(display, display, source.Text, requested: true);
            }
            else if (options.Loader.TryRead(source.Path, out var text))
            {
                AddFile(display, display, text, requested: true);
            }
            else
            {
                var missing = new SourceText(display, string.Empty);
                Diagnostics.Error(missing, default, $"Could not read file '{source.Path}'.");
            }
        }

        // Imports found while loading append to the list, so this loop reaches them too.
        for (int i = 0; i < files.Count; i++)
        {
            LoadImports(files[i]);
        }

        foreach (var file in files)
        {
            DeclareFile(file);
        }

        foreach (var node in declared.ToList())
        {
            Translate(node);
        }

        foreach (var action in DeferredValues)
        {
            action();
        }

        foreach (var node in files.Where(f => f.Requested && f.Root is not null).Select(f => f.Root!).Concat(declared.Where(d => d.File.Requested)).Distinct())
        {
            ResolveBrandedAliases(node);
        }

        var requested = files.Where(f => f.Requested && f.Root is not null).Select(f => new RequestedFile(
            f.Root!.Node.Id,
            f.DisplayName,
            f.Imports.Where(i => i.Value?.Root is not null).Select(i => new RequestedFileImport(i.Value!.Root!.Node.Id, i.Key)).ToList()))
            .ToList();
        return new CompilationResult(Nodes, Diagnostics.Items, requested);
    }

    // Aliases of generic types with arguments, kept for generators; other aliases are only resolved where used.
    private void ResolveBrandedAliases(DeclaredNode scope)
    {
        var aliases = new List<SchemaAlias>();
        foreach (var alias in scope.Aliases)
        {
            if (Resolver.Resolve(alias.Value.Target, scope, report: false) is { Kind: ResolutionKind.Node, Node: { } target } resolution
                && resolution.Bindings.Count > 0
                && target.Node.Kind is SchemaNodeKind.Struct or SchemaNodeKind.Interface)
            {
                var kind = target.Node.Kind == SchemaNodeKind.Struct ? TypeKind.Struct : TypeKind.Interface;
                aliases.Add(new SchemaAlias(alias.Key, SchemaType.Named(kind, target.Node.Id, Resolver.BuildBrand(resolution, target, scope))));
            }
        }

        if (aliases.Count > 0)
        {
            scope.Node.Aliases = aliases;
        }
    }

    public ParsedFile? FindImport(ParsedFile from, string path) =>
        from.Imports.TryGetValue(path, out var file) ? file : null;

    private ParsedFile AddFile(string displayName, string actualPath, string text, bool requested)
    {
        var source = new SourceText(displayName, text);
        var syntax = Parser.ParseFile(source, Diagnostics);
        var file = new ParsedFile(displayName, actualPath, source, syntax, requested);
        files.Add(file);
        filesByPath[actualPath] = file;
        return file;
    }

    private void LoadImports(ParsedFile file)
    {
        foreach (var import in ImportCollector.Collect(file.Syntax))
        {
            if (file.Imports.ContainsKey(import.Path))
            {
                continue;
            }

            var loaded = Load(file, import.Path);
            file.Imports[import.Path] = loaded;
            if (loaded is null)
            {
                Error(file, import.Span, $"Import failed: {import.Path}");
            }
        }
    }

    private ParsedFile? Load(ParsedFile from, string path)
    {
        var candidates = new List<(string Display, string Actual)>();
        if (path.StartsWith("/", StringComparison.Ordinal))
        {
            string relative = path.TrimStart('/');
            foreach (var importPath in options.ImportPaths)
            {
                candidates.Add((SchemaPath.Normalize(relative), SchemaPath.Combine(importPath, relative)));
            }
        }
        else
        {
            candidates.Add((SchemaPath.Combine(SchemaPath.Directory(from.DisplayName), path), SchemaPath.Combine(SchemaPath.Directory(from.ActualPath), path)));
        }

        foreach (var (display, actual) in candidates)
        {
            if (filesByPath.TryGetValue(actual, out var existing))
            {
                return existing;
            }

            if (options.Loader.TryRead(actual, out var text))
            {
                return AddFile(display, actual, text, requested: false);
            }
        }

        return null;
    }

    private void DeclareFile(ParsedFile file)
    {
        var syntax = file.Syntax;
        ulong id = syntax.ExplicitId ?? 0;
        if (syntax.ExplicitId is null)
        {
            // The reference invents a random id and suggests it; a build must be reproducible, so it is an error here.
            Error(file, new TextSpan(0, 0), $"File does not declare an ID.  I've generated one for you.  Add this line to your file: @0x{TypeIds.ChildId(0, file.DisplayName):x16};");
            id = TypeIds.ChildId(0, file.DisplayName);
        }

        var node = new SchemaNode(SchemaNodeKind.File, id, file.DisplayName, file.DisplayName.LastIndexOf('.') + 1, 0)
        {
            DocComment = syntax.DocComment,
            SourcePath = file.ActualPath,
            Location = file.Source.Locate(new TextSpan(0, 0)),
        };
        var root = new DeclaredNode(node, syntax, null, file);
        file.Root = root;
        Register(root, syntax.IdSpan);
        DeclareMembers(root, syntax);
    }

    private void DeclareMembers(DeclaredNode parent, Declaration syntax)
    {
        var nested = new List<NestedNode>();
        foreach (var member in syntax.Members)
        {
            switch (member.Kind)
            {
                case DeclarationKind.Struct:
                case DeclarationKind.Enum:
                case DeclarationKind.Interface:
                case DeclarationKind.Const:
                case DeclarationKind.Annotation:
                    var child = Declare(parent, member);
                    nested.Add(new NestedNode(member.Name, child.Node.Id));
                    break;
                case DeclarationKind.Using when member.Name.Length > 0:
                    parent.Aliases[member.Name] = (UsingDeclaration)member;
                    break;
            }
        }

        NameChecker.Check(this, parent.File, syntax.Members, syntax.Kind);
        parent.Node.NestedNodes = nested;
    }

    private DeclaredNode Declare(DeclaredNode parent, Declaration syntax)
    {
        var kind = syntax.Kind switch
        {
            DeclarationKind.Struct => SchemaNodeKind.Struct,
            DeclarationKind.Enum => SchemaNodeKind.Enum,
            DeclarationKind.Interface => SchemaNodeKind.Interface,
            DeclarationKind.Const => SchemaNodeKind.Const,
            _ => SchemaNodeKind.Annotation,
        };
        ulong id = syntax.ExplicitId ?? TypeIds.ChildId(parent.Node.Id, syntax.Name);
        string separator = parent.Parent is null ? ":" : ".";
        string displayName = parent.Node.DisplayName + separator + syntax.Name;
        var node = new SchemaNode(kind, id, displayName, displayName.Length - syntax.Name.Length, parent.Node.Id)
        {
            Parameters = syntax.TypeParameters.Select(p => p.Name).ToList(),
            IsGeneric = syntax.TypeParameters.Count > 0 || parent.Node.IsGeneric,
            DocComment = syntax.DocComment,
            Location = parent.File.Source.Locate(syntax.NameSpan),
        };
        var declaredNode = new DeclaredNode(node, syntax, parent, parent.File);
        if (!parent.Children.ContainsKey(syntax.Name))
        {
            parent.Children[syntax.Name] = declaredNode;
        }

        Register(declaredNode, syntax.IdSpan);
        if (syntax.Kind is DeclarationKind.Struct or DeclarationKind.Interface)
        {
            DeclareMembers(declaredNode, syntax);
        }

        return declaredNode;
    }

    private void Register(DeclaredNode node, TextSpan idSpan)
    {
        if ((node.Node.Id & (1UL << 63)) == 0 && node.Syntax.ExplicitId is not null)
        {
            Error(node.File, idSpan, "Invalid ID.  Please generate a new one with 'capnpc -i'.");
        }

        if (declaredById.TryGetValue(node.Node.Id, out var existing))
        {
            Error(node.File, node.Syntax.Kind == DeclarationKind.File ? idSpan : node.Syntax.NameSpan,
                $"Duplicate ID @0x{node.Node.Id:x16}; '{existing.Node.DisplayName}' already uses it.");
            return;
        }

        declaredById[node.Node.Id] = node;
        declared.Add(node);
        Nodes.Add(node.Node);
    }

    private void Translate(DeclaredNode node)
    {
        switch (node.Node.Kind)
        {
            case SchemaNodeKind.Struct:
                new StructTranslator(this, node).TranslateStruct();
                break;
            case SchemaNodeKind.Enum:
                EnumTranslator.Translate(this, node);
                break;
            case SchemaNodeKind.Interface:
                new InterfaceTranslator(this, node).Translate();
                break;
            case SchemaNodeKind.Const:
                DeferredValues.Add(() => Values.EvaluateConst(node));
                node.Node.Const = new ConstNode { Type = Resolver.CompileType(((ConstDeclaration)node.Syntax).Type, node) };
                break;
            case SchemaNodeKind.Annotation:
                AnnotationDeclarationTranslator.Translate(this, node);
                break;
        }

        Values.DeferAnnotations(node.Syntax.Annotations, node, TargetOf(node.Node.Kind), list => node.Node.Annotations = list);
    }

    private static AnnotationTargets TargetOf(SchemaNodeKind kind) => kind switch
    {
        SchemaNodeKind.File => AnnotationTargets.File,
        SchemaNodeKind.Struct => AnnotationTargets.Struct,
        SchemaNodeKind.Enum => AnnotationTargets.Enum,
        SchemaNodeKind.Interface => AnnotationTargets.Interface,
        SchemaNodeKind.Const => AnnotationTargets.Const,
        _ => AnnotationTargets.Annotation,
    };
}
