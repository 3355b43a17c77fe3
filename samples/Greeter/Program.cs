using Greeter;
using Hanzo.Zt.Billing.Commerce;
using Hanzo.Zt.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Everything about the fabric comes from configuration (HanzoZt:IdentityFile or a Hanzo IAM token, billing):
// appsettings.json, HanzoZt__* environment variables or the command line. Role=server or Role=client.
var builder = Host.CreateApplicationBuilder(args);
var zt = builder.Services.AddHanzoZt();
if (builder.Configuration.GetValue("HanzoZt:Billing:Enabled", true))
{
    zt.AddCommerceBilling();
}

string address = "zt://" + builder.Configuration["Service"];
if (builder.Configuration["Role"] == "server")
{
    zt.AddZapService<IGreeter, Greeter.Greeter>(address);
}
else
{
    zt.AddZapClient<IGreeter>(address);
    builder.Services.AddHostedService<Caller>();
}

await builder.Build().RunAsync();
