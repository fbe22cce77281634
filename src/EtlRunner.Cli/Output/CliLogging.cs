using EtlRunner.Cli.Commands;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Expressions;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Cli.Output;

/// <summary>The logging of a run: to stderr at --log-level (errors only with --quiet), and to --log-file, as text or JSON lines.</summary>
internal static class CliLogging
{
    /// <summary>
    /// The events the summary prints too (an operation's warnings): on stderr they would show a second time, so only
    /// --log-file gets them. Why an operation stopped stays on stderr as it happens: a run that then cannot finish
    /// (its state database unwritable) prints no summary.
    /// </summary>
    private static readonly HashSet<string> InSummary = new(StringComparer.Ordinal) { "Operation {Operation}: {Warning}" };

    public static ILoggerFactory Create(CliEnvironment environment, ILogSettings settings, SecretMasker masker)
    {
        var level = FileCommandSettings.LogLevels[settings.LogLevel];
        var json = settings.LogFormat == "json";
        // Built by hand rather than with LoggerFactory.Create, which sets up a dependency-injection container to do it.
        var providers = new List<ILoggerProvider>();
        if (!settings.Quiet || level >= LogLevel.Error)
        {
            providers.Add(new LineLoggerProvider(environment.Error, settings.Quiet ? LogLevel.Error : level, masker, environment.TimeProvider, ownsWriter: false, stackTraces: level <= LogLevel.Debug, json, InSummary));
        }

        if (settings.LogFile is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            var writer = new StreamWriter(file, append: true);
            var fileLevel = string.Equals(settings.LogLevel, "warning", StringComparison.OrdinalIgnoreCase) ? LogLevel.Information : level;
            providers.Add(new LineLoggerProvider(writer, fileLevel, masker, environment.TimeProvider, ownsWriter: true, stackTraces: true, json));
        }

        return new LoggerFactory(providers, new LoggerFilterOptions { MinLevel = LogLevel.Trace });
    }
}
