using Microsoft.Extensions.Logging;

namespace PartnerExchange.Interop.Tests.Infrastructure;

/// <summary>Keeps the in-process server's log lines, so a failed interop case can show what the server saw.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private const int MaxLines = 5000;
    private readonly Queue<(long Sequence, LogLevel Level, string Text)> _lines = new();
    private long _sequence;

    public string Text => string.Join('\n', Since(0).Select(l => l.Text));

    /// <summary>Gets the sequence number the next line will have: a mark to read the lines logged after it.</summary>
    public long Mark
    {
        get
        {
            lock (_lines)
            {
                return _sequence;
            }
        }
    }

    /// <summary>Gets the lines logged since <paramref name="mark"/>.</summary>
    public IReadOnlyList<(LogLevel Level, string Text)> Since(long mark)
    {
        lock (_lines)
        {
            return _lines.Where(l => l.Sequence >= mark).Select(l => (l.Level, l.Text)).ToList();
        }
    }

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogLevel level, string text)
    {
        lock (_lines)
        {
            _lines.Enqueue((_sequence++, level, text));
            while (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }
        }
    }

    private sealed class RecordingLogger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)}";
            provider.Add(logLevel, exception is null ? line : $"{line}\n{exception}");
        }
    }
}
