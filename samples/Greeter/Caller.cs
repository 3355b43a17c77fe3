using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Greeter;

/// <summary>
/// A hosted service with the generated client injected into its constructor. It calls <c>Calls</c> times
/// (<c>-1</c>: until stopped), one call every <c>IntervalMs</c>, and prints <c>ok N</c> or <c>failed N: Type: message</c>
/// for each, then <c>done N</c>.
/// </summary>
public sealed class Caller(IGreeter greeter, IConfiguration configuration) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int calls = configuration.GetValue("Calls", -1);
        var interval = TimeSpan.FromMilliseconds(configuration.GetValue("IntervalMs", 200));
        int made = 0;
        for (int i = 1; calls < 0 || i <= calls; i++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            try
            {
                string answer = await greeter.GreetAsync($"call {i}", timeout.Token);
                made++;
                Console.WriteLine($"ok {i}: {answer}");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Console.WriteLine($"failed {i}: {e.GetType().Name}: {e.Message}");
            }

            await Task.Delay(interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        Console.WriteLine($"done {made}");
    }
}
