using EtlRunner.Connectors;
using EtlRunner.Expressions;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>What the commands get from the process: output streams, the terminal, the clock, environment variables, connectors.</summary>
public sealed record CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>True when stderr is an interactive terminal (live progress); false for CI, cron and pipes.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Colours off (the NO_COLOR convention, or not a terminal).</summary>
    public bool NoColor { get; init; }

    /// <summary>The width of stdout in columns; null: the terminal's own, or 140 when stdout is redirected.</summary>
    public int? Width { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public Func<string, string?> EnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>How often plain progress lines are written when not on a terminal.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);

    public Func<ConnectorRegistry> Connectors { get; init; } = ConnectorCatalog.Create;

    /// <summary>Every secret the command has met (variables, tokens), masked in all it prints, errors at the boundary included.</summary>
    public SecretMasker Secrets { get; init; } = new();

    public static CliEnvironment FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        IsTerminal = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not "dumb",
        NoColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) || Console.IsErrorRedirected,
        Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : null,
    };
}
