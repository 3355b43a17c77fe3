using Microsoft.Extensions.Hosting;
using ZtService1;

// Serves IGreeter over ZT: the host dials out to the fabric and opens no port.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddGreeterHost(builder.Configuration);
await builder.Build().RunAsync();
