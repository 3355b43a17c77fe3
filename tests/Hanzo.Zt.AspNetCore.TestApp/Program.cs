using Hanzo.Zt.AspNetCore.TestApp;

// A minimal API and a gRPC service served on a ZT service only, wired from configuration alone:
//   Hanzo.Zt.AspNetCore.TestApp --Service=orders --HanzoZt:IdentityFile=host.json --HanzoZt:Billing:Enabled=false
// Prints "serving" once bound; stops when standard input closes.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
string service = builder.Configuration["Service"] ?? throw new ArgumentException("--Service=<name> is required");

builder.Services.AddHanzoZt();
builder.WebHost.UseHanzoZt(service);
builder.Services.AddGrpc();

await using var app = builder.Build();
app.MapGet("/hello/{name}", (string name, HttpContext http) => $"hello {name} over {http.Request.Protocol}");
app.MapGrpcService<GreeterService>();

await app.StartAsync();
Console.WriteLine($"serving {service} as pid {Environment.ProcessId}");
var buffer = new char[64];
while (await Console.In.ReadAsync(buffer) > 0)
{
}

await app.StopAsync();
