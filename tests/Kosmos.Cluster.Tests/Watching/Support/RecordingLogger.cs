using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kosmos.Cluster.Tests.Watching.Support;

/// <summary>A logger that keeps every entry, so tests can assert what was (not) logged.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        _entries.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception), exception,
            properties.ToDictionary(p => p.Key, p => p.Value)));
    }
}

public sealed record LogEntry(LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Properties)
{
    public override string ToString() => $"{Level}: {Message}{(Exception is null ? "" : " " + Exception.GetType().Name)}";
}
