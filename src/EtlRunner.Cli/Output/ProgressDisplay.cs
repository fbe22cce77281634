using EtlRunner.Cli.Commands;
using EtlRunner.Cli.Infrastructure;

namespace EtlRunner.Cli.Output;

/// <summary>Chooses the progress display of a run.</summary>
internal static class ProgressDisplay
{
    /// <summary>
    /// None with <c>--quiet</c> or <c>--output json</c>; a live table when stderr is a terminal; otherwise (CI, cron,
    /// pipes) plain lines at <see cref="CliEnvironment.ProgressInterval"/> and at each operation's start and end.
    /// </summary>
    public static IProgressDisplay? Create(CliEnvironment environment, PipelineSettings settings, bool dryRun)
    {
        if (settings.Quiet || settings.Json)
        {
            return null;
        }

        if (!environment.IsTerminal)
        {
            return new ProgressReporter(environment.Error, environment.TimeProvider, environment.ProgressInterval, dryRun);
        }

        // When the summary is about to appear on the same screen, it replaces the live table; when stdout goes
        // elsewhere (a file, a pipe), the final table stays on the terminal.
        var summaryFollows = ReferenceEquals(environment.Out, Console.Out) && !Console.IsOutputRedirected;
        var terminal = environment.Error as TerminalWriter;
        var console = LiveProgress.CreateConsole(terminal?.Inner ?? environment.Error, environment.NoColor);
        return new LiveProgress(console, environment.TimeProvider, clearAtEnd: summaryFollows, terminal, dryRun);
    }
}
