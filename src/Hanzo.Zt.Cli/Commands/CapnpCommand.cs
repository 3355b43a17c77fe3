using System.CommandLine;
using System.Security.Cryptography;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Capnp.Compiler;
using Hanzo.Zt.Capnp.Dynamic;

namespace Hanzo.Zt.Cli.Commands;

/// <summary><c>zt capnp</c>: Cap'n Proto schema tools.</summary>
internal static class CapnpCommand
{
    public static Command Create()
    {
        var command = new Command("capnp", "Cap'n Proto schema tools: fresh file ids, schema checks, message conversion and [ZtService] schema export.");
        command.Subcommands.Add(CreateIdCommand());
        command.Subcommands.Add(CreateCompileCommand());
        command.Subcommands.Add(CapnpConvertCommand.Create());
        command.Subcommands.Add(CapnpExportCommand.Create());
        return command;
    }

    /// <summary>The <c>-I</c> option shared by the schema verbs.</summary>
    internal static Option<string[]> ImportPathOption() => new("--import-path", "-I")
    {
        Description = "Add a directory to search for imports that start with '/'.",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The <c>--no-standard-import</c> option shared by the schema verbs.</summary>
    internal static Option<bool> NoStandardImportOption() => new("--no-standard-import")
    {
        Description = "Do not search /usr/local/include and /usr/include for imports.",
    };

    private static Command CreateIdCommand()
    {
        var command = new Command("id", "Print a fresh random 64-bit file id, as `capnp id` does.");
        command.SetAction(parseResult =>
        {
            parseResult.InvocationConfiguration.Output.WriteLine($"@0x{NewId():x16};");
            return 0;
        });
        return command;
    }

    private static Command CreateCompileCommand()
    {
        var file = new Argument<string>("file") { Description = "The schema file to check." };
        var imports = ImportPathOption();
        var noStandard = NoStandardImportOption();
        var command = new Command("compile", "Check a schema and print its nodes (ids, struct sizes, field offsets), or its errors.")
        {
            file, imports, noStandard,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            string path = parseResult.GetValue(file)!;
            if (!File.Exists(path))
            {
                error.WriteLine($"zt capnp compile: no such file '{path}'.");
                return 1;
            }

            var options = new SchemaCompilerOptions();
            foreach (string dir in (parseResult.GetValue(imports) ?? []).Concat(parseResult.GetValue(noStandard) ? [] : SchemaSet.StandardImportPaths))
            {
                options.ImportPaths.Add(dir);
            }

            var result = SchemaCompiler.Compile([new SchemaSource(path)], options);
            if (!result.Success)
            {
                foreach (var diagnostic in result.Diagnostics)
                {
                    error.WriteLine(diagnostic);
                }

                return 1;
            }

            output.Write(SchemaSummary.Print(result));
            return 0;
        });
        return command;
    }

    /// <summary>A random id with the high bit set, which is how the reference compiler tells generated ids apart.</summary>
    internal static ulong NewId() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | (1UL << 63);
}
