// Usage: Hanzo.Zt.Billing.OutboxProbe <outbox.db> <count> <account> <micros-per-record>
// Enqueues <count> usage records from 10 concurrent sessions, prints "enqueued <count>" once every one is
// durable, then waits to be killed.
using Hanzo.Zt.Billing;

var (path, count, account, micros) = (args[0], int.Parse(args[1]), args[2], long.Parse(args[3]));
await using var outbox = new UsageOutbox(path);
await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (i, ct) =>
    await outbox.EnqueueAsync(new UsageRecord
    {
        RequestId = $"probe-{Environment.ProcessId}-{i}",
        Account = account,
        Service = "probe",
        SessionId = $"session-{i}",
        Identity = "probe",
        BytesSent = i,
        AmountMicros = micros,
    }, ct));
Console.WriteLine($"enqueued {count}");
Console.Out.Flush();
await Task.Delay(Timeout.Infinite);
