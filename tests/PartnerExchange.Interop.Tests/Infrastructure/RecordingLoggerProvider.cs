using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PartnerExchange.Interop.Tests.Infrastructure;

/// <summary>Keeps the in-process server's log lines, so a failed interop case can show what the server saw.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private const int MaxLines = 2000;
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > MaxLines && _lines.TryDequeue(out _))
        {
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
            provider.Add(exception is null ? line : $"{line}\n{exception}");
        }
    }
}
