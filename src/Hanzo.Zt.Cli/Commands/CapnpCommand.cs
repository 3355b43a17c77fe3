using System.CommandLine;
using System.Security.Cryptography;

namespace Hanzo.Zt.Cli.Commands;

/// <summary><c>zt capnp</c>: Cap'n Proto schema tools.</summary>
internal static class CapnpCommand
{
    public static Command Create()
    {
        var command = new Command("capnp", "Cap'n Proto schema tools: fresh file ids, schema checks and message conversion.");
        command.Subcommands.Add(CreateIdCommand());
        return command;
    }

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

    /// <summary>A random id with the high bit set, which is how the reference compiler tells generated ids apart.</summary>
    internal static ulong NewId() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | (1UL << 63);
}
