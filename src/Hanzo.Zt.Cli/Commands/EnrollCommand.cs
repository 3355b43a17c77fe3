using System.CommandLine;
using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.Cli.Commands;

/// <summary><c>zt enroll &lt;jwt-file&gt; --out &lt;identity.json&gt;</c>: enrolls an identity (key made here, CSR) and writes its identity file.</summary>
internal static class EnrollCommand
{
    public static Command Create()
    {
        var jwtFile = new Argument<string>("jwt-file") { Description = "File holding the identity's one-time enrollment token (JWT)." };
        var output = new Option<string>("--out") { Description = "Where to write the identity file (OpenZiti-style JSON).", Required = true };
        var command = new Command("enroll", "Enroll an identity with a one-time token; the private key is created locally and never leaves.") { jwtFile, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            string path = parseResult.GetValue(output)!;
            try
            {
                string jwt = await File.ReadAllTextAsync(parseResult.GetValue(jwtFile)!, cancellationToken);
                await ZtContext.EnrollAsync(jwt, path, cancellationToken);
            }
            catch (Exception e) when (e is ZtException or IOException or UnauthorizedAccessException or HttpRequestException)
            {
                await stderr.WriteLineAsync($"zt enroll: {e.Message}");
                return 1;
            }

            await stdout.WriteLineAsync($"zt enroll: enrolled; identity written to {Path.GetFullPath(path)}");
            return 0;
        });
        return command;
    }
}
