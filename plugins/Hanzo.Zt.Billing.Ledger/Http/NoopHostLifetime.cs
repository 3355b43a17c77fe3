using Microsoft.Extensions.Hosting;

namespace Hanzo.Zt.Billing.Ledger.Http;

/// <summary>Keeps the host from hooking Ctrl+C and SIGTERM: whoever owns the server decides when it stops.</summary>
internal sealed class NoopHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
