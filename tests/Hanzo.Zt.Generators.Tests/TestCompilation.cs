using System.Collections.Immutable;
using Hanzo.Zt.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>Runs the generator through <see cref="CSharpGeneratorDriver"/> over in-memory sources and schemas.</summary>
internal static class TestCompilation
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(Zap.ZapCapability).Assembly.Location, typeof(Capnp.StructReader).Assembly.Location, typeof(ZtException).Assembly.Location])
            .Distinct()
            .Where(p => Path.GetFileNameWithoutExtension(p) != typeof(TestCompilation).Assembly.GetName().Name) // its own generated types would clash
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    public static CSharpCompilation Create(params string[] sources) =>
        CSharpCompilation.Create(
            "Generated",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static AdditionalText Text(string path, string text) => new InMemoryText(path, text);

    public static GeneratorDriver Driver(params (string Path, string Text)[] schemas) =>
        Driver(schemas.Select(s => Text(s.Path, s.Text)).ToArray());

    public static GeneratorDriver Driver(params AdditionalText[] schemas) => Driver(schemas, new MsBuild());

    /// <summary>A driver that sees <paramref name="msbuild"/>'s properties and per-file metadata, as a project build would pass them.</summary>
    public static GeneratorDriver Driver(AdditionalText[] schemas, MsBuild msbuild) =>
        CSharpGeneratorDriver.Create(
            [new ZtGenerator().AsSourceGenerator()],
            schemas,
            new CSharpParseOptions(LanguageVersion.Latest),
            new Options(msbuild),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Generates and compiles with MSBuild properties and item metadata.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(string[] sources, MsBuild msbuild, params (string Path, string Text)[] schemas)
    {
        Driver(schemas.Select(s => Text(s.Path, s.Text)).ToArray(), msbuild).RunGeneratorsAndUpdateCompilation(Create(sources), out var output, out var generatorDiagnostics);
        var all = generatorDiagnostics.AddRange(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        return (output, all);
    }

    /// <summary>Generates, compiles everything, and returns the output compilation and all diagnostics (generator's and compiler's).</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(string[] sources, params (string Path, string Text)[] schemas)
    {
        var driver = Driver(schemas).RunGeneratorsAndUpdateCompilation(Create(sources), out var output, out var generatorDiagnostics);
        _ = driver;
        var all = generatorDiagnostics.AddRange(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        return (output, all);
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    /// <summary>MSBuild as the generator sees it: build properties and AdditionalFiles metadata (by file path).</summary>
    public sealed class MsBuild
    {
        public Dictionary<string, string> Properties { get; } = new() { ["build_property.RootNamespace"] = "Generated" };

        public Dictionary<string, Dictionary<string, string>> Metadata { get; } = new();

        public MsBuild Property(string name, string value)
        {
            Properties["build_property." + name] = value;
            return this;
        }

        public MsBuild Item(string path, string name, string value)
        {
            if (!Metadata.TryGetValue(path, out var values))
            {
                Metadata[path] = values = new();
            }

            values["build_metadata.AdditionalFiles." + name] = value;
            return this;
        }
    }

    private sealed class Options(MsBuild msbuild) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(msbuild.Properties);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => DictionaryOptions.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            msbuild.Metadata.TryGetValue(textFile.Path, out var values) ? new DictionaryOptions(values) : DictionaryOptions.Empty;
    }

    private sealed class DictionaryOptions(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly DictionaryOptions Empty = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value);
    }
}
