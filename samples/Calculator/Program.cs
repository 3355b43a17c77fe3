using Calculator;
using Hanzo.Zt;
using Hanzo.Zt.Fabric;
using Hanzo.Zt.Transport;
using Hanzo.Zt.Zap;
using Hanzo.Zt.Zap.Transports;

// dotnet run --project samples/Calculator -- serve <address> [--framing standard|zap] [--identity <identity.json>]
// dotnet run --project samples/Calculator -- client <address> [--framing standard|zap] [--identity <identity.json>]
if (args.Length < 2 || args[0] is not ("serve" or "client"))
{
    Console.Error.WriteLine("usage: Calculator serve|client <address> [--framing standard|zap] [--identity <identity.json>]");
    Console.Error.WriteLine("  <address> is tcp://host:port, ws://host:port/path (zap framing), or zt://service (with --identity)");
    return 2;
}

var framing = ZapFraming.Zap;
string? identity = null;
for (int i = 2; i < args.Length; i++)
{
    if (args[i] == "--framing" && i + 1 < args.Length && Enum.TryParse<ZapFraming>(args[i + 1], ignoreCase: true, out var parsed))
    {
        framing = parsed;
        i++;
    }
    else if (args[i] == "--identity" && i + 1 < args.Length)
    {
        identity = args[++i];
    }
    else
    {
        Console.Error.WriteLine($"unknown option '{args[i]}'; expected --framing standard|zap or --identity <file>");
        return 2;
    }
}

if (!Uri.TryCreate(args[1], UriKind.Absolute, out var address))
{
    Console.Error.WriteLine($"'{args[1]}' is not an address such as tcp://127.0.0.1:5923");
    return 2;
}

if (address.Scheme == "zt" && identity is null)
{
    Console.Error.WriteLine("a zt:// address needs --identity <identity.json>");
    return 2;
}

await using var fabric = identity is null ? null : ZtContext.FromIdentityFile(identity);
IZtTransportSelector transports = fabric is null
    ? ZapTransports.Default
    : new ZtTransportSelector([new TcpTransport(), new WebSocketTransport(), new ZtTransport(fabric)]);

try
{
    return args[0] == "serve" ? await ServeAsync(address, framing, transports) : await RunClientAsync(address, framing, transports);
}
catch (ZtException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

static async Task<int> ServeAsync(Uri address, ZapFraming framing, IZtTransportSelector transports)
{
    using var calculator = ZapCapability.FromServer(new CalculatorServer());
    await using var listener = await ZapListener.BindAsync(address, calculator, new ZapConnectionOptions { Framing = framing }, transports);
    var stop = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.TrySetResult();
    };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
    string where = address.Scheme switch
    {
        "zt" => address.ToString(),
        "ws" => $"ws://{listener.EndPoint}{address.AbsolutePath}",
        _ => $"{address.Scheme}://{listener.EndPoint}",
    };
    Console.WriteLine($"listening on {where} ({framing.ToString().ToLowerInvariant()} framing)");
    await stop.Task;
    return 0;
}

static async Task<int> RunClientAsync(Uri address, ZapFraming framing, IZtTransportSelector transports)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    await using var connection = await ZapClient.ConnectAsync(address, new ZapConnectionOptions { Framing = framing }, transports, cancellationToken: timeout.Token);
    using var calculator = connection.Bootstrap();
    bool passed = await new CalculatorChecks(calculator, Console.Out).RunAllAsync(timeout.Token);
    return passed ? 0 : 1;
}
