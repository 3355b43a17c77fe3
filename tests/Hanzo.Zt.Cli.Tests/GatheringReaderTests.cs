using System.IO.Pipelines;
using Hanzo.Zt.Cli.Commands;

namespace Hanzo.Zt.Cli.Tests;

/// <summary>
/// zt dial and zt echo-host read a connection in runs of what it has ready: records already there join one run, a
/// read that has to wait carries its bytes into the next run, and nothing is lost, repeated or reordered.
/// </summary>
public sealed class GatheringReaderTests
{
    private const int Record = 16 * 1024;

    [Fact]
    public async Task Records_already_there_come_back_as_one_run_and_later_ones_as_the_next()
    {
        var pipe = new Pipe();
        var reader = new GatheringReader(new RecordStream(pipe.Reader.AsStream()), 256 * 1024);
        var bytes = Enumerable.Range(0, 5 * Record).Select(i => (byte)(i * 7)).ToArray();
        await pipe.Writer.WriteAsync(bytes.AsMemory(0, 3 * Record));

        var first = await reader.ReadAsync(CancellationToken.None);
        first.ToArray().ShouldBe(bytes[..(3 * Record)], "three records were ready: one run");

        // The reader left a read waiting; what arrives now is the next run.
        var next = reader.ReadAsync(CancellationToken.None);
        next.IsCompleted.ShouldBeFalse();
        await pipe.Writer.WriteAsync(bytes.AsMemory(3 * Record));
        (await next).ToArray().ShouldBe(bytes[(3 * Record)..]);

        await pipe.Writer.CompleteAsync();
        (await reader.ReadAsync(CancellationToken.None)).IsEmpty.ShouldBeTrue();
        (await reader.ReadAsync(CancellationToken.None)).IsEmpty.ShouldBeTrue("the end stays the end");
    }

    [Fact]
    public async Task A_long_stream_arrives_whole_and_in_order_through_runs_that_wrap_the_buffer()
    {
        var pipe = new Pipe();
        var reader = new GatheringReader(new RecordStream(pipe.Reader.AsStream()), 64 * 1024);
        var bytes = new byte[3 * 1024 * 1024 + 123];
        Random.Shared.NextBytes(bytes);
        var writing = Task.Run(async () =>
        {
            for (int at = 0; at < bytes.Length; at += 40_000)
            {
                await pipe.Writer.WriteAsync(bytes.AsMemory(at, Math.Min(40_000, bytes.Length - at)));
            }

            await pipe.Writer.CompleteAsync();
        });

        using var received = new MemoryStream();
        ReadOnlyMemory<byte> run;
        while (!(run = await reader.ReadAsync(CancellationToken.None)).IsEmpty)
        {
            run.Length.ShouldBeLessThanOrEqualTo(64 * 1024);
            received.Write(run.Span);
        }

        await writing;
        received.ToArray().ShouldBe(bytes);
    }

    [Fact]
    public async Task A_read_left_running_when_the_consumer_stops_does_not_surface_as_an_unobserved_failure()
    {
        string marker = $"connection lost under an abandoned read {Guid.NewGuid():N}";
        var unobserved = new List<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, e) =>
        {
            if (e.Exception.Flatten().InnerExceptions.Any(inner => inner.Message == marker))
            {
                lock (unobserved)
                {
                    unobserved.Add(e.Exception);
                }
            }
        };
        TaskScheduler.UnobservedTaskException += onUnobserved;
        try
        {
            var failing = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            await AbandonAsync(failing);
            failing.SetException(new IOException(marker));
            await Task.Delay(100);
            for (int i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            unobserved.ShouldBeEmpty();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= onUnobserved;
        }

        // In a method of its own, so nothing on this frame keeps the reader or its read reachable.
        static async Task AbandonAsync(TaskCompletionSource<int> failing)
        {
            var pipe = new Pipe();
            using var reader = new GatheringReader(new FailingAfterFirstStream(pipe.Reader.AsStream(), failing.Task), 64 * 1024);
            await pipe.Writer.WriteAsync(new byte[100]);
            (await reader.ReadAsync(CancellationToken.None)).Length.ShouldBe(100);
        }
    }

    /// <summary>The first read goes to <c>inner</c>; every later one waits for <c>later</c>, which fails.</summary>
    private sealed class FailingAfterFirstStream(Stream inner, Task<int> later) : Stream
    {
        private bool _first = true;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_first)
            {
                _first = false;
                return inner.ReadAsync(buffer, cancellationToken);
            }

            return new ValueTask<int>(AwaitLaterAsync());
        }

        // A task of the read's own, which nothing but the reader refers to (not the test's completion source's task).
        private async Task<int> AwaitLaterAsync() => await later;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Hands out at most one record per read, as a TLS stream does.</summary>
    private sealed class RecordStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer[..Math.Min(buffer.Length, Record)], cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
