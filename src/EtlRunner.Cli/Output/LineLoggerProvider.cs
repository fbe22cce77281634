using EtlRunner.Expressions;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Cli.Output;

/// <summary>
/// Writes log lines to a text writer (stderr or a --log-file): time, level, run id and operation, message. With
/// <paramref name="stackTraces"/>, a logged exception follows its line whole (type, message, stack trace, inner
/// exceptions); without, only its message, unless the line says it already. Every line, stack traces included, passes
/// through the <see cref="SecretMasker"/>.
/// </summary>
internal sealed class LineLoggerProvider(TextWriter writer, LogLevel minimum, SecretMasker masker, TimeProvider time, bool ownsWriter, bool stackTraces)
    : ILoggerProvider, ISupportExternalScope
{
    private readonly Lock _gate = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public LogLevel Minimum => minimum;

    public ILogger CreateLogger(string categoryName) => new LineLogger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        if (ownsWriter)
        {
            writer.Dispose();
        }
    }

    private void Write(LogLevel level, string message, Exception? exception)
    {
        string? runId = null;
        string? operation = null;
        _scopes.ForEachScope(
            (scope, _) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        if (key == "RunId")
                        {
                            runId = value?.ToString();
                        }
                        else if (key == "Operation")
                        {
                            operation = value?.ToString();
                        }
                    }
                }
            },
            (object?)null);
        var context = runId is null ? string.Empty : operation is null ? $"[run {runId}] " : $"[run {runId} | {operation}] ";
        var line = $"{SystemVariables.Format(time.GetUtcNow())} {Level(level)} {context}{message}";
        if (stackTraces && exception is not null)
        {
            line += Environment.NewLine + exception;
        }
        else if (exception is not null && !message.Contains(exception.Message, StringComparison.Ordinal))
        {
            line += " | " + exception.Message;
        }

        line = masker.Apply(line);
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "    ",
    };

    private sealed class LineLogger(LineLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, formatter(state, exception), exception);
            }
        }
    }
}
