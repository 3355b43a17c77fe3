using System.CommandLine;
using Hanzo.Zt.Cli.Admin;
using Hanzo.Zt.Cli.Quickstart;
using Hanzo.Zt.Identity;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// <c>zt quickstart</c>: a whole network on this machine (controller, router, ledger, a development IAM issuer),
/// a demo service, two callers (one enrolled, one signed in with an IAM token), and the calls between them, printed
/// step by step. <c>--keep-running</c> leaves it up for other programs and the admin verbs.
/// </summary>
internal static class QuickstartCommand
{
    private const long FundedCents = 1_000;

    public static Command Create()
    {
        var dataDir = new Option<string?>("--data-dir") { Description = $"Where the network keeps its state (default {Path.Combine(CliPaths.DataDirectory, "quickstart")})." };
        var keepRunning = new Option<bool>("--keep-running") { Description = "Leave the network up after the demo, until Ctrl+C." };
        var command = new Command("quickstart", "Start a network on this machine, serve a demo service on zt://demo and call it, showing each step.") { dataDir, keepRunning };
        command.SetAction((parseResult, cancellationToken) => CliFailure.RunAsync("quickstart", parseResult.InvocationConfiguration.Error, async () =>
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parseResult.InvocationConfiguration.Output) });
            if (Console.IsOutputRedirected)
            {
                console.Profile.Width = 240; // one step a line for logs and scripts, not wrapped at 80 columns
            }

            string directory = parseResult.GetValue(dataDir) ?? Path.Combine(CliPaths.DataDirectory, "quickstart");
            using var shutdown = new Shutdown(cancellationToken);
            using var loggers = StandardErrorLog.Create();
            await using var network = QuickstartNetwork.In(directory);
            await using var demo = await RunAsync(console, network, loggers, shutdown.Token);
            if (parseResult.GetValue(keepRunning))
            {
                PrintHowToUse(console, network);
                await shutdown.WaitAsync();
                console.MarkupLine("stopped");
            }

            return 0;
        }));
        return command;
    }

    private static void Step(IAnsiConsole console, string step, string detail) =>
        console.MarkupLine($"[green]✓[/] [bold]{Markup.Escape(step),-15}[/] {Markup.Escape(detail)}");

    private static async Task<QuickstartDemo> RunAsync(IAnsiConsole console, QuickstartNetwork network, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        console.MarkupLine($"[bold]Hanzo ZT quickstart[/] (data in {Markup.Escape(network.DataDirectory)})");
        QuickstartDemo demo = null!;
        await console.Status().StartAsync("starting the controller", async status =>
        {
            await network.StartControllerAsync(cancellationToken);
            Step(console, "controller", $"{network.Controller.Url.GetLeftPart(UriPartial.Authority)} (CA SHA-256 {LoginState.Fingerprint(network.Controller.CaCertificate)[..23]}…)");

            status.Status("starting the ledger");
            long funded = await network.StartLedgerAsync(FundedCents, cancellationToken);
            Step(console, "ledger", $"{network.Ledger.Address.ToString().TrimEnd('/')}; account {QuickstartNetwork.Account} funded, balance {funded} cents");

            status.Status("registering the development IAM issuer");
            await network.RegisterIamIssuerAsync(cancellationToken);
            Step(console, "IAM issuer", $"DEVELOPMENT ONLY: {DevIamIssuer.Issuer}, trusted as external JWT signer '{QuickstartNetwork.SignerName}'");

            status.Status("starting the router");
            await network.StartRouterAsync(loggers, cancellationToken);
            Step(console, "router", $"{QuickstartNetwork.RouterName} listening on tls://{network.Router.EndPoint} (announced to the controller)");

            status.Status("creating services, policies and identities");
            await network.CreateServicesAsync(cancellationToken);
            Step(console, "services", $"{string.Join(", ", QuickstartNetwork.Services)}; Bind @{QuickstartNetwork.HostName}, Dial #{QuickstartNetwork.CallerAttribute}");

            status.Status("binding the demo service");
            demo = new QuickstartDemo(network);
            await demo.StartHostAsync(network.IdentityFile(QuickstartNetwork.HostName), cancellationToken);
            Step(console, "host", $"{QuickstartNetwork.HostName} (enrolled) serves IDemoGreeter on zt://demo and echoes on zt://echo");

            await CallAsync(console, status, network, demo, cancellationToken);
        });
        return demo;
    }

    private static async Task CallAsync(IAnsiConsole console, StatusContext status, QuickstartNetwork network, QuickstartDemo demo, CancellationToken cancellationToken)
    {
        // Usage left from an earlier run is delivered first, so this run's charge is this run's alone.
        await demo.Outbox.DeliverAsync(demo.Provider, cancellationToken);
        var before = await demo.ChargedAsync(cancellationToken);

        status.Status("signing in");
        await using var enrolled = await demo.ConnectBilledAsync(
            Configuration.ZtConfig.CreateBuilder().WithIdentityFile(network.IdentityFile(QuickstartNetwork.ClientName)), QuickstartNetwork.Account, cancellationToken);
        await enrolled.AuthenticateAsync(cancellationToken);
        Step(console, "sign-in", $"{QuickstartNetwork.ClientName}: enrolled identity, certificate authentication");
        var iamToken = new ZtCredentials(ZtCredentialKind.Token, network.Iam.IssueToken(QuickstartNetwork.IamUserName), "the development IAM issuer");
        await using var signedIn = await demo.ConnectBilledAsync(
            Configuration.ZtConfig.CreateBuilder()
                .WithControllerUrl(network.Controller.Url)
                .WithControllerCa(network.Controller.CaCertificate.ExportCertificatePem())
                .WithCredentials(iamToken),
            QuickstartNetwork.Account, cancellationToken);
        await signedIn.AuthenticateAsync(cancellationToken);
        Step(console, "sign-in", $"{QuickstartNetwork.IamUserName}: IAM token from the development issuer (ext-jwt), no identity file");
        var certificate = signedIn.Identity!.Certificate;
        Step(console, "certificate", $"{QuickstartNetwork.IamUserName}: {certificate.Subject}, SHA-256 {LoginState.Fingerprint(certificate)[..23]}…, valid until {certificate.NotAfter.ToUniversalTime():u}");

        status.Status("checking the balance");
        var balance = await demo.Provider.GetBalanceAsync(QuickstartNetwork.Account, "usd", cancellationToken);
        await demo.Gate.EnsureAllowedAsync(QuickstartNetwork.Account, cancellationToken);
        Step(console, "balance check", $"{QuickstartNetwork.Account}: {balance.Available} cents available, dials allowed");

        int calls = 0;
        foreach (var (caller, name) in new[] { (signedIn, QuickstartNetwork.IamUserName), (enrolled, QuickstartNetwork.ClientName) })
        {
            status.Status($"dialing zt://demo as {name}");
            await using (var connected = await QuickstartDemo.ConnectAsync(caller, cancellationToken))
            {
                Step(console, "dial", $"zt://demo as {name}: circuit through {QuickstartNetwork.RouterName}, TLS 1.3 end to end with {QuickstartNetwork.HostName}");
                var greeter = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IDemoGreeter>(connected);
                string greeting = await greeter.GreetAsync(name, cancellationToken);
                Step(console, "call", $"GreetAsync(\"{name}\") → \"{greeting}\"");
                var payload = new byte[8 * 1024];
                System.Security.Cryptography.RandomNumberGenerator.Fill(payload);
                var reversed = await greeter.ReverseAsync(payload, cancellationToken);
                bool right = reversed.Length == payload.Length && reversed.AsSpan().SequenceEqual(payload.Reverse().ToArray());
                if (!right)
                {
                    throw new ZtException(ZtErrorCode.Rpc, "ReverseAsync answered bytes that are not the payload reversed");
                }

                Step(console, "call", $"ReverseAsync({payload.Length} bytes) → {reversed.Length} bytes, reversed correctly");
                calls += 2;
            }
        }

        status.Status("metering usage");
        await demo.Outbox.DeliverAsync(demo.Provider, cancellationToken);
        var after = await demo.ChargedAsync(cancellationToken);
        long micros = (after.Cents - before.Cents) * Billing.UsageOutbox.MicrosPerCent + (after.CarriedMicros - before.CarriedMicros);
        long cents = after.Cents - before.Cents;
        Step(console, "usage metered", $"{calls} calls on 2 connections: {micros} micros metered; charged {cents} cents, {after.CarriedMicros} micros carried toward the next cent");
        var balanceAfter = await demo.Provider.GetBalanceAsync(QuickstartNetwork.Account, "usd", cancellationToken);
        Step(console, "balance after", $"{QuickstartNetwork.Account}: {balanceAfter.Available} cents");
    }

    private static void PrintHowToUse(IAnsiConsole console, QuickstartNetwork network)
    {
        string controller = network.Controller.Url.GetLeftPart(UriPartial.Authority);
        string client = network.IdentityFile(QuickstartNetwork.ClientName);
        console.WriteLine();
        console.MarkupLine("[bold]The network is up[/] (Ctrl+C to stop). From another terminal:");
        console.WriteLine($"  zt login {controller} --password \"$(cat {network.AdminPasswordFile})\"");
        console.WriteLine("  zt list services");
        console.WriteLine($"  echo hello | zt dial echo --identity {client}");
        console.WriteLine($"  COMMERCE_SERVICE_TOKEN=\"$(cat {network.LedgerTokenFile})\" zt ledger deposit {QuickstartNetwork.Account} 500 --url {network.Ledger.Address.ToString().TrimEnd('/')}");
        console.WriteLine("Programs:");
        console.WriteLine($"  ZtContext.FromIdentityFile(\"{client}\")  (controller {controller}; the identity file names it)");
        console.WriteLine($"  services.AddHanzoZt(o => o.ControllerUrl = \"{controller}\")");
        console.WriteLine("ready");
    }
}
