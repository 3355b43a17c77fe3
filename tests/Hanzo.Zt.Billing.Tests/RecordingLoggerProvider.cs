using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.Billing.Tests;

/// <summary>Keeps every log entry written through it, and lets a test await the first entry that matches.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly List<LogEntry> _entries = [];
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Seen)> _waiters = [];

    public sealed record LogEntry(string Category, LogLevel Level, string Message);

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries) return [.. _entries];
        }
    }

    /// <summary>Completes with the first entry (already written or still to come) that <paramref name="match"/> accepts.</summary>
    public Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match)
    {
        lock (_entries)
        {
            foreach (var entry in _entries)
                if (match(entry)) return Task.FromResult(entry);
            var seen = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, seen));
            return seen.Task;
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(entry)) continue;
                _waiters[i].Seen.TrySetResult(entry);
                _waiters.RemoveAt(i);
            }
        }
    }

    private sealed class Logger(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogEntry(category, logLevel, formatter(state, exception)));
    }
}
