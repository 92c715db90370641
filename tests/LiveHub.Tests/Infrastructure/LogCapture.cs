using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LiveHub.Tests.Infrastructure;

/// <summary>Keeps every message a server logs at its configured level, for tests of what an operator reads.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Messages.Enqueue((logLevel, formatter(state, exception)));
    }
}
