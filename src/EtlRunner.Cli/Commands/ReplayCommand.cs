using System.ComponentModel;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using EtlRunner.State;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary>
/// <c>etl replay REJECTS_FILE</c>: send the rejected records of one operation through its transform and target
/// again, after the cause was fixed, with the same accounting (and a new rejects file for what still fails).
/// </summary>
internal sealed class ReplayCommand(CliEnvironment environment) : AsyncCommand<ReplayCommand.Settings>
{
    public sealed class Settings : FileCommandSettings
    {
        [CommandArgument(0, "<REJECTS_FILE>")]
        [Description("The rejects file (.jsonl) a run wrote, under .etl/rejects/RUN/ beside the pipeline (.etl/sandbox/rejects/RUN/ for sandbox runs).")]
        public string RejectsFile { get => File; set => File = value; }

        [CommandOption("--pipeline <FILE>")]
        [Description("The pipeline file the records came from (default: found in the state database beside the rejects file).")]
        public string? Pipeline { get; set; }

        [CommandOption("--dry-run")]
        [Description("Send the records through the transform, but write nothing; report what would have been written.")]
        public bool DryRun { get; set; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var rejectsPath = Path.GetFullPath(settings.File, environment.WorkingDirectory);
        RejectsFile rejects;
        try
        {
            rejects = RejectsFile.Read(rejectsPath);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            environment.Error.WriteLine($"{settings.File}: cannot replay: {ex.Message}");
            return ExitCodes.InvalidPipeline;
        }

        var pipeline = settings.Pipeline ?? FindPipeline(rejectsPath);
        if (pipeline is null)
        {
            environment.Error.WriteLine($"{settings.File}: no run in the state database wrote this rejects file; give the pipeline with --pipeline FILE");
            return ExitCodes.InvalidPipeline;
        }

        if (rejects.TornLine is { } torn && !settings.Quiet)
        {
            environment.Error.WriteLine($"{rejectsPath}:{torn}: the last line is not whole (the run was killed while writing it) and was ignored.");
        }

        if (rejects.Unreplayable > 0 && !settings.Quiet)
        {
            environment.Error.WriteLine($"{rejects.Unreplayable} record(s) were rejected while reading (malformed rows) and cannot be replayed: fix the source and run again.");
        }

        settings.File = pipeline;
        return await new RunCommand(environment).RunAsync(settings, new RunCommand.Request(Operation: null, settings.DryRun, Full: false, Fresh: false, rejects), cancellationToken);
    }

    /// <summary>The pipeline whose run wrote this rejects file: .etl[/sandbox]/rejects/&lt;run&gt;/&lt;operation&gt;.jsonl.</summary>
    private static string? FindPipeline(string rejectsPath)
    {
        if (StateLayout.OfRejectsFile(rejectsPath) is not { } layout || !File.Exists(Path.Combine(layout.Folder, SqliteStateStore.FileName)))
        {
            return null;
        }

        using var store = new SqliteStateStore(layout.Folder);
        return store.History(null, null, 10_000).FirstOrDefault(e => e.RejectsFile == rejectsPath)?.Pipeline;
    }
}
