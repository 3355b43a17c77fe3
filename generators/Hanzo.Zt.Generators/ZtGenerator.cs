using Hanzo.Zt.Generators.Schema;
using Microsoft.CodeAnalysis;

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

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var schemas = context.AdditionalTextsProvider
            .Where(static t => t.Path.EndsWith(".capnp", StringComparison.OrdinalIgnoreCase))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) =>
            {
                var (text, options) = pair;
                var fileOptions = options.GetOptions(text);
                string ns = fileOptions.TryGetValue("build_metadata.AdditionalFiles.Namespace", out var n) && !string.IsNullOrWhiteSpace(n) ? n
                    : options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var root) && !string.IsNullOrWhiteSpace(root) ? root
                    : "Capnp";
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

                return new SchemaInput(text.Path, text.GetText(ct)?.ToString() ?? string.Empty, ns, display);
            })
            .Collect();
        var hasZap = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName("Hanzo.Zt.Zap.ZapCapability") is not null);
        var outputs = schemas.Combine(hasZap)
            .SelectMany(static (pair, _) => pair.Left.Select(file => SchemaFileEmitter.Generate(file, pair.Left, pair.Right)))
            .WithTrackingName(SchemaStep);
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
}
