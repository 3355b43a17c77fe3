using System.CommandLine;

namespace Hanzo.Zt.Cli.Commands;

/// <summary><c>zt version</c>: prints the tool and runtime versions.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the zt version and the .NET runtime it runs on.");
        command.SetAction(parseResult =>
        {
            parseResult.InvocationConfiguration.Output.WriteLine(
                $"zt {ZtCommandLine.Version} (.NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier})");
            return 0;
        });
        return command;
    }
}
