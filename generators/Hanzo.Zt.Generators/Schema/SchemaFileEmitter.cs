using Hanzo.Zt.Capnp.Compiler;

namespace Hanzo.Zt.Generators.Schema;

/// <summary>Compiles one schema file (imports come from the other AdditionalFiles, import paths and the standard schemas) and writes its C#.</summary>
internal static class SchemaFileEmitter
{
    /// <summary>The inputs with each path once: a file both listed and found under an import path is generated.</summary>
    public static IReadOnlyList<SchemaInput> Distinct(IReadOnlyList<SchemaInput> all) =>
        all.GroupBy(i => Normalize(i.Path), StringComparer.Ordinal)
            .Select(g => g.FirstOrDefault(i => !i.ImportOnly) ?? g.First())
            .ToList();

    public static SchemaOutput Generate(SchemaInput file, IReadOnlyList<SchemaInput> all, SchemaSettings settings, bool hasZap)
    {
        var imports = new SchemaImports(all, settings);
        string path = Normalize(file.Path);
        var result = SchemaCompiler.Compile(new[] { new SchemaSource(path, file.Text) }, imports.Options);
        string hint = HintName(file);
        var diagnostics = new List<DiagnosticInfo>();
        foreach (var d in result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            diagnostics.Add(Locate(d, all, imports));
        }

        if (!result.Success || result.RequestedFiles.Count == 0)
        {
            return new SchemaOutput(hint, null, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        var naming = new SchemaNaming(result, file, all, imports);
        var map = new TypeMap(result, naming.NamespaceOf, hasZap);
        var fileNode = result.FindNode(result.RequestedFiles[0].Id)!;
        bool hasInterfaces = result.Nodes.Any(n => n.Kind == SchemaNodeKind.Interface && map.FileOf(n) == fileNode.Id);
        if (hasInterfaces && !hasZap)
        {
            diagnostics.Add(new DiagnosticInfo(ZtDiagnostics.ZapMissing.Id,
                $"{file.DisplayPath} declares interfaces; reference Hanzo.Zt.Zap to generate their clients and servers", file.Path, 0, 0, 0, 0, 0, 0));
        }

        var w = new CodeWriter();
        var structs = new StructEmitter(map, w);
        var generics = new Generics(map, $"global::{naming.NamespaceOf(fileNode.Id)}.{SchemaNaming.ClassName(file)}");
        structs.UseGenerics(generics);
        var interfaces = new InterfaceEmitter(map, w, structs, generics);
        NameAliases(map, generics, fileNode);
        var consts = new ConstEmitter(map, structs, diagnostics, file.Path);
        void EmitNode(SchemaNode node)
        {
            switch (node.Kind)
            {
                case SchemaNodeKind.Struct:
                    w.Line();
                    structs.Emit(node, EmitNode);
                    break;
                case SchemaNodeKind.Enum:
                    EmitEnum(w, map, node);
                    break;
                case SchemaNodeKind.Interface when hasZap:
                    interfaces.Emit(node, EmitNode);
                    break;
                case SchemaNodeKind.Const:
                    consts.Emit(w, node);
                    break;
            }
        }

        string ns = naming.NamespaceOf(fileNode.Id);
        string className = SchemaNaming.ClassName(file);
        w.Line($"namespace {ns}");
        w.Line("{");
        var topConsts = fileNode.NestedNodes.Select(n => map.Node(n.Id)).Where(n => n.Kind == SchemaNodeKind.Const).ToList();
        w.Line($"/// <summary>The schema file <c>{CodeWriter.Escape(file.DisplayPath)}</c>: its id and top-level constants.</summary>");
        w.Line($"public static partial class {className}");
        w.Line("{");
        w.Line($"    /// <summary>The file's id.</summary>");
        w.Line($"    public const ulong FileId = {Names.Hex(fileNode.Id)};");
        w.Line();
        w.Line($"    /// <summary>The schema's text, as compiled.</summary>");
        w.Line($"    public const string Text = {Names.Literal(file.Text)};");
        var inner = new CodeWriter();
        foreach (var c in topConsts)
        {
            consts.Emit(inner, c);
        }

        foreach (var line in inner.ToString().Split('\n').Where(l => l.Length > 0))
        {
            w.Line("    " + line);
        }

        w.Line("}");
        foreach (var nested in fileNode.NestedNodes.Select(n => map.Node(n.Id)).Where(n => n.Kind != SchemaNodeKind.Const))
        {
            EmitNode(nested);
        }

        if (generics.Pending.Count > 0)
        {
            w.Line();
            w.Line($"public static partial class {className}");
            w.Line("{");
            var specialised = new CodeWriter();
            var specs = new StructEmitter(map, specialised);
            specs.UseGenerics(generics);
            var specInterfaces = new InterfaceEmitter(map, specialised, specs, generics);
            while (generics.Pending.Count > 0)
            {
                var next = generics.Pending.Dequeue();
                if (next.Type.Kind == TypeKind.Interface)
                {
                    if (hasZap)
                    {
                        specInterfaces.EmitSpecialization(next);
                    }
                }
                else
                {
                    specs.EmitSpecialization(next);
                }
            }

            interfaces.Registrations.AddRange(specInterfaces.Registrations);

            foreach (var line in specialised.ToString().Split('\n'))
            {
                w.Line(line.Length > 0 ? "    " + line : string.Empty);
            }

            w.Line("}");
        }

        if (interfaces.Registrations.Count > 0)
        {
            w.Line();
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"Hanzo.Zt.Generators\", \"1.0\")]");
            w.Line($"file static class {className}Registration");
            w.Line("{");
            w.Line("    [global::System.Runtime.CompilerServices.ModuleInitializer]");
            w.Line("    internal static void Register()");
            w.Line("    {");
            foreach (var line in interfaces.Registrations)
            {
                w.Line("        " + line);
            }

            w.Line("    }");
            w.Line("}");
        }

        w.Line("}");
        consts.ReportSkipped();
        string source = CodeWriter.Header() + w.ToString().Replace("\"" + path + ":", "\"" + file.DisplayPath + ":");
        return new SchemaOutput(hint, source, new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    // using aliases of generic types with arguments, in the file and its nested scopes, name their specialisations.
    private static void NameAliases(TypeMap map, Generics generics, SchemaNode node)
    {
        foreach (var alias in node.Aliases)
        {
            generics.Alias(alias.Type, Names.Pascal(alias.Name));
        }

        foreach (var nested in node.NestedNodes)
        {
            if (map.Result.FindNode(nested.Id) is { } child)
            {
                NameAliases(map, generics, child);
            }
        }
    }

    public static void EmitEnum(CodeWriter w, TypeMap map, SchemaNode node)
    {
        w.Line();
        w.Doc(node.DocComment ?? $"The Cap'n Proto enum <c>{node.Name}</c>.");
        w.Line($"[global::Hanzo.Zt.Capnp.CapnpType({Names.Hex(node.Id)}, {Names.Literal(node.DisplayName)})]");
        w.Open($"public enum {map.LocalName(node)} : ushort");
        var enumerants = node.Enum!.Enumerants;
        for (int i = 0; i < enumerants.Count; i++)
        {
            w.Doc(enumerants[i].DocComment);
            w.Line($"[global::Hanzo.Zt.Capnp.CapnpName({Names.Literal(enumerants[i].Name)}, {i})]");
            w.Line($"{Names.Pascal(enumerants[i].Name)} = {i},");
        }

        w.Close();
    }

    private static DiagnosticInfo Locate(Hanzo.Zt.Capnp.Compiler.Diagnostic d, IReadOnlyList<SchemaInput> all, SchemaImports imports)
    {
        var owner = all.FirstOrDefault(i => Normalize(i.Path) == d.Location.File);
        string filePath = owner?.Path ?? d.Location.File;
        int start = 0, end = 0;
        if (owner is not null)
        {
            var text = Microsoft.CodeAnalysis.Text.SourceText.From(owner.Text);
            start = Offset(text, d.Location.Line, d.Location.Column);
            end = Math.Max(start, Offset(text, d.Location.EndLine, d.Location.EndColumn));
        }

        const string importFailed = "Import failed: ";
        string message = d.Message.StartsWith(importFailed, StringComparison.Ordinal)
            ? imports.DescribeFailedImport(d.Message.Substring(importFailed.Length), owner?.Path)
            : d.Message;
        return new DiagnosticInfo(ZtDiagnostics.SchemaError.Id, message, filePath, start, end - start,
            d.Location.Line - 1, d.Location.Column - 1, d.Location.EndLine - 1, d.Location.EndColumn - 1);
    }

    private static int Offset(Microsoft.CodeAnalysis.Text.SourceText text, int line, int column)
    {
        if (line - 1 >= text.Lines.Count)
        {
            return text.Length;
        }

        var l = text.Lines[Math.Max(0, line - 1)];
        return Math.Min(l.Start + Math.Max(0, column - 1), l.EndIncludingLineBreak);
    }

    private static string HintName(SchemaInput file)
    {
        var safe = new StringBuilder();
        foreach (char c in file.DisplayPath)
        {
            safe.Append(char.IsLetterOrDigit(c) || c == '.' ? c : '_');
        }

        return (StandardSchemas.IsStandard(file.Path) ? "standard_" : string.Empty) + safe + ".g.cs";
    }

    public static string Normalize(string path) => path.Replace('\\', '/');
}
