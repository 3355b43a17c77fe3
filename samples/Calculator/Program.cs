using Calculator;
using Hanzo.Zt;
using Hanzo.Zt.Zap;

// dotnet run --project samples/Calculator -- serve <address> [--framing standard|zap]
// dotnet run --project samples/Calculator -- client <address> [--framing standard|zap]
if (args.Length < 2 || args[0] is not ("serve" or "client"))
{
    Console.Error.WriteLine("usage: Calculator serve|client <address> [--framing standard|zap]");
    Console.Error.WriteLine("  <address> is tcp://host:port, or ws://host:port/path with zap framing");
    return 2;
}

var framing = ZapFraming.Zap;
for (int i = 2; i < args.Length; i++)
{
    if (args[i] == "--framing" && i + 1 < args.Length && Enum.TryParse<ZapFraming>(args[i + 1], ignoreCase: true, out var parsed))
    {
        framing = parsed;
        i++;
    }
    else
    {
        Console.Error.WriteLine($"unknown option '{args[i]}'; expected --framing standard|zap");
        return 2;
    }
}

if (!Uri.TryCreate(args[1], UriKind.Absolute, out var address))
{
    Console.Error.WriteLine($"'{args[1]}' is not an address such as tcp://127.0.0.1:5923");
    return 2;
}

try
{
    return args[0] == "serve" ? await ServeAsync(address, framing) : await RunClientAsync(address, framing);
}
catch (ZtException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

static async Task<int> ServeAsync(Uri address, ZapFraming framing)
{
    using var calculator = ZapCapability.FromServer(new CalculatorServer(new CalculatorService()));
    await using var listener = await ZapListener.BindAsync(address, calculator, new ZapConnectionOptions { Framing = framing });
    var stop = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.TrySetResult();
    };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
    string path = address.Scheme == "ws" ? address.AbsolutePath : "";
    Console.WriteLine($"listening on {address.Scheme}://{listener.EndPoint}{path} ({framing.ToString().ToLowerInvariant()} framing)");
    await stop.Task;
    return 0;
}

static async Task<int> RunClientAsync(Uri address, ZapFraming framing)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    await using var connection = await ZapClient.ConnectAsync(address, new ZapConnectionOptions { Framing = framing }, cancellationToken: timeout.Token);
    using var calculator = new CalculatorClient(connection.Bootstrap());
    bool passed = await new CalculatorChecks(calculator, Console.Out).RunAllAsync(timeout.Token);
    return passed ? 0 : 1;
}
