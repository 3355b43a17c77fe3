using Hanzo.Zt.Generators.Schema;
using Hanzo.Zt.Generators.Services;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Hanzo.Zt.Generators;

/// <summary>
/// The Hanzo ZT source generator: every <c>.capnp</c> file in AdditionalFiles becomes typed readers, builders,
/// clients and servers; every <c>[ZtService]</c> interface becomes a Cap'n Proto interface with its own.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ZtGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the step producing each schema file's output (for caching tests).</summary>
    public const string SchemaStep = "ZtSchemaOutput";

    /// <summary>Tracking name of the step producing each [ZtService] interface's model.</summary>
    public const string ServiceStep = "ZtServiceModel";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var schemas = context.AdditionalTextsProvider
            .Where(static t => t.Path.EndsWith(".capnp", StringComparison.OrdinalIgnoreCase))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => ReadSchema(pair.Left, pair.Right, ct))
            .Collect();
        var settings = context.AnalyzerConfigOptionsProvider.Select(static (options, _) => ReadSettings(options));
        var hasZap = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName("Hanzo.Zt.Zap.ZapCapability") is not null);
        var outputs = schemas.Combine(settings).Combine(hasZap)
            .SelectMany(static (pair, _) =>
            {
                var ((all, settings), zap) = pair;
                var files = StandardSchemas.WithImported(SchemaFileEmitter.Distinct(all));
                return files.Where(f => !f.ImportOnly).Select(file => SchemaFileEmitter.Generate(file, files, settings, zap));
            })
            .WithTrackingName(SchemaStep);
        var services = context.SyntaxProvider.ForAttributeWithMetadataName(
                "Hanzo.Zt.ZtServiceAttribute",
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.InterfaceDeclarationSyntax,
                static (ctx, _) => ServiceParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.Attributes[0]))
            .WithTrackingName(ServiceStep);
        var locks = context.AdditionalTextsProvider
            .Where(static t => t.Path.EndsWith(".zaplock", StringComparison.OrdinalIgnoreCase))
            .Select(static (t, ct) => new LockFile(t.Path, t.GetText(ct)?.ToString() ?? string.Empty))
            .Collect();
        context.RegisterSourceOutput(services.Combine(locks), static (spc, pair) =>
        {
            var (service, lockFiles) = pair;
            foreach (var diagnostic in service.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            var compatibility = CompatibilityCheck.Check(service, lockFiles);
            foreach (var diagnostic in compatibility)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (service.Diagnostics.Count > 0 || compatibility.Count > 0)
            {
                return;
            }

            var (source, errors) = ServiceEmitter.Emit(service);
            foreach (var diagnostic in errors)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (source is not null)
            {
                spc.AddSource(service.FullName.Replace("global::", string.Empty) + ".g.cs", source);
            }
        });
        context.RegisterSourceOutput(outputs, static (spc, output) =>
        {
            foreach (var diagnostic in output.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (output.Source is not null)
            {
                spc.AddSource(output.HintName, output.Source);
            }
        });
    }

    private static SchemaInput ReadSchema(AdditionalText text, AnalyzerConfigOptionsProvider options, System.Threading.CancellationToken ct)
    {
        var fileOptions = options.GetOptions(text);
        string? ns = Metadata(fileOptions, "Namespace");
        string root = options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var r) && !string.IsNullOrWhiteSpace(r) ? r.Trim() : "Capnp";
        string path = text.Path.Replace('\\', '/');
        string display = path.Substring(path.LastIndexOf('/') + 1);
        if (options.GlobalOptions.TryGetValue("build_property.ProjectDir", out var dir) && !string.IsNullOrEmpty(dir))
        {
            dir = dir.Replace('\\', '/');
            dir = dir.EndsWith("/", StringComparison.Ordinal) ? dir : dir + "/";
            if (path.StartsWith(dir, StringComparison.Ordinal))
            {
                display = path.Substring(dir.Length);
            }
        }

        bool importOnly = string.Equals(Metadata(fileOptions, "CapnpImport"), "true", StringComparison.OrdinalIgnoreCase);
        return new SchemaInput(text.Path, text.GetText(ct)?.ToString() ?? string.Empty, ns, root, display, Metadata(fileOptions, "ClassName"), importOnly);
    }

    private static string? Metadata(AnalyzerConfigOptions options, string name) =>
        options.TryGetValue("build_metadata.AdditionalFiles." + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static SchemaSettings ReadSettings(AnalyzerConfigOptionsProvider options)
    {
        var paths = options.GlobalOptions.TryGetValue("build_property.CapnpImportPaths", out var value) && value is not null
            ? value.Split(';').Select(p => p.Trim().Replace('\\', '/').TrimEnd('/')).Where(p => p.Length > 0)
            : Enumerable.Empty<string>();
        return new SchemaSettings(new EquatableArray<string>(paths));
    }
}
