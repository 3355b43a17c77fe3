using System.CommandLine;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// <c>zt capnp export &lt;assembly&gt;</c>: prints the .capnp text the source generator made for each
/// <c>[ZtService]</c> interface of a built assembly, so other languages can compile clients and servers.
/// </summary>
internal static class CapnpExportCommand
{
    public static Command Create()
    {
        var assembly = new Argument<string>("assembly") { Description = "The built assembly (.dll) declaring [ZtService] interfaces." };
        var service = new Option<string?>("--service") { Description = "Only the interface with this C# name (e.g. IGreeter or My.App.IGreeter)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write one <Name>.capnp per interface into this directory instead of printing." };
        var command = new Command("export", "Print the .capnp schema of every [ZtService] interface in an assembly.") { assembly, service, output };
        command.SetAction(parseResult =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            string path = Path.GetFullPath(parseResult.GetValue(assembly)!);
            if (!File.Exists(path))
            {
                stderr.WriteLine($"zt capnp export: no such assembly '{path}'.");
                return 1;
            }

            Assembly loaded;
            try
            {
                loaded = Load(path);
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or IOException)
            {
                stderr.WriteLine($"zt capnp export: '{path}' is not a loadable .NET assembly: {e.Message}");
                return 1;
            }

            string? only = parseResult.GetValue(service);
            var schemas = ZapServiceRegistry.Schemas
                .Where(s => s.Service.Assembly == loaded)
                .Where(s => only is null || s.Service.Name == only || s.Service.FullName == only)
                .ToList();
            if (schemas.Count == 0)
            {
                stderr.WriteLine($"zt capnp export: {Path.GetFileName(path)} has no [ZtService] interface{(only is null ? string.Empty : $" named '{only}'")} (is Hanzo.Zt.Generators referenced as an analyzer?).");
                return 1;
            }

            string? directory = parseResult.GetValue(output);
            foreach (var (type, text) in schemas)
            {
                if (directory is null)
                {
                    stdout.Write(text);
                    continue;
                }

                Directory.CreateDirectory(directory);
                string name = type.Name.Length > 1 && type.Name[0] == 'I' && char.IsUpper(type.Name[1]) ? type.Name[1..] : type.Name;
                string file = Path.Combine(directory, name + ".capnp");
                File.WriteAllText(file, text);
                stdout.WriteLine(file);
            }

            return 0;
        });
        return command;
    }

    private static Assembly Load(string path)
    {
        // Dependencies sit next to the assembly; Hanzo.Zt.* resolve to the tool's own, so the registry is shared.
        string directory = Path.GetDirectoryName(path)!;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            string candidate = Path.Combine(directory, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        return assembly;
    }
}
