using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EtlRunner.Expressions;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Cli.Output;

/// <summary>
/// Writes log lines to a text writer (stderr or a --log-file): time, level, run id and operation, message; with
/// <c>json</c>, one JSON object per line with the message's fields too, for log shippers. With
/// <paramref name="stackTraces"/>, a logged exception follows its line whole (type, message, stack trace, inner
/// exceptions); without, only its message, unless the line says it already. Every line, stack traces included, passes
/// through the <see cref="SecretMasker"/>.
/// </summary>
internal sealed class LineLoggerProvider(TextWriter writer, LogLevel minimum, SecretMasker masker, TimeProvider time, bool ownsWriter, bool stackTraces, bool json = false, IReadOnlySet<string>? omitted = null)
    : ILoggerProvider, ISupportExternalScope
{
    private readonly Lock _gate = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public LogLevel Minimum => minimum;

    /// <summary>Whether the event is one of the <c>omitted</c> message templates, which this writer leaves out.</summary>
    private bool Omits(object? state) =>
        omitted is not null && state is IEnumerable<KeyValuePair<string, object?>> values
        && values.Any(p => p.Key == "{OriginalFormat}" && p.Value is string template && omitted.Contains(template));

    public ILogger CreateLogger(string categoryName) => new LineLogger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        if (ownsWriter)
        {
            writer.Dispose();
        }
    }

    private void Write(LogLevel level, string message, object? state, Exception? exception)
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
        var line = masker.Apply(json ? JsonLine(level, runId, operation, message, state, exception) : TextLine(level, runId, operation, message, exception));
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private string TextLine(LogLevel level, string? runId, string? operation, string message, Exception? exception)
    {
        var context = runId is null ? string.Empty : operation is null ? $"[run {runId}] " : $"[run {runId} | {operation}] ";
        var line = $"{SystemVariables.Format(time.GetUtcNow())} {Level(level)} {context}{message}";
        if (exception is null)
        {
            return line;
        }

        return stackTraces ? line + Environment.NewLine + exception
            : message.Contains(exception.Message, StringComparison.Ordinal) ? line
            : line + " | " + exception.Message;
    }

    private string JsonLine(LogLevel level, string? runId, string? operation, string message, object? state, Exception? exception)
    {
        using var buffer = new MemoryStream();
        using (var line = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            line.WriteStartObject();
            line.WriteString("timestamp", SystemVariables.Format(time.GetUtcNow()));
            line.WriteString("level", level.ToString().ToLowerInvariant());
            line.WriteString("run_id", runId);
            line.WriteString("operation", operation);
            line.WriteString("message", message);
            line.WriteStartObject("fields");
            foreach (var (key, value) in state as IEnumerable<KeyValuePair<string, object?>> ?? [])
            {
                if (key != "{OriginalFormat}")
                {
                    WriteValue(line, key, value);
                }
            }

            line.WriteEndObject();
            if (exception is not null)
            {
                line.WriteString("exception", stackTraces ? exception.ToString() : exception.Message);
            }

            line.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter line, string key, object? value)
    {
        switch (value)
        {
            case null:
                line.WriteNull(key);
                break;
            case bool b:
                line.WriteBoolean(key, b);
                break;
            case int or long or short or byte or uint or ulong or double or float or decimal:
                line.WriteNumber(key, Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                break;
            default:
                line.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
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
            if (IsEnabled(logLevel) && !provider.Omits(state))
            {
                provider.Write(logLevel, formatter(state, exception), state, exception);
            }
        }
    }
}
