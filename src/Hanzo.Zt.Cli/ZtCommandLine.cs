using System.CommandLine;
using System.Reflection;
using Hanzo.Zt.Cli.Commands;

namespace Hanzo.Zt.Cli;

/// <summary>The <c>zt</c> command tree. Each verb group lives in its own file under <c>Commands/</c>.</summary>
public static class ZtCommandLine
{
    /// <summary>The tool's version, as stamped into the assembly.</summary>
    public static string Version { get; } =
        typeof(ZtCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ZtCommandLine).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("zt: Hanzo ZT, a zero-trust overlay network with Cap'n Proto RPC (ZAP).");
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(CapnpCommand.Create());
        root.Subcommands.Add(ControllerCommand.Create());
        root.Subcommands.Add(LedgerCommand.Create());
        root.Subcommands.Add(RouterCommand.Create());
        root.Subcommands.Add(EnrollCommand.Create());
        root.Subcommands.Add(EchoHostCommand.Create());
        root.Subcommands.Add(DialCommand.Create());
        root.Subcommands.Add(PingCommand.Create());
        root.Subcommands.Add(LoginCommand.Create());
        root.Subcommands.Add(LoginCommand.CreateLogout());
        root.Subcommands.Add(CreateCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(DeleteCommand.Create());

        // With no verb, say what this is and how to use it rather than failing.
        root.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine($"zt {Version}");
            output.WriteLine();
            return root.Parse("--help").Invoke(parseResult.InvocationConfiguration);
        });
        return root;
    }

    /// <summary>Parses and runs a command line, writing to the given streams; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        // Roles are written @name (as in OpenZiti): never read an argument starting with @ as a response file.
        return CreateRootCommand().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).InvokeAsync(configuration);
    }
}
