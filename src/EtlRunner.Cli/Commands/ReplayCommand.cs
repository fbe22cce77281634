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
/// <c>etl replay --cluster CONNECTION RUN [--operation OP]</c> does the same with the rejects an agent group keeps in
/// PostgreSQL, from any machine that has the pipeline file; the replay is recorded in the group's history and what
/// still fails is kept in the group's rejects.
/// </summary>
internal sealed class ReplayCommand(CliEnvironment environment) : AsyncCommand<ReplayCommand.Settings>
{
    public sealed class Settings : FileCommandSettings
    {
        [CommandArgument(0, "<REJECTS_FILE>")]
        [Description("The rejects file (.jsonl) a run wrote, under .etl/rejects/RUN/ beside the pipeline (.etl/sandbox/rejects/RUN/ for sandbox runs); with --cluster, the id of the group's run whose rejects to replay.")]
        public string RejectsFile { get => File; set => File = value; }

        [CommandOption("--pipeline <FILE>")]
        [Description("The pipeline file the records came from (default: found in the state database beside the rejects file; with --cluster, the path in the pipeline's id in the group, from the current folder).")]
        public string? Pipeline { get; set; }

        [CommandOption("--dry-run")]
        [Description("Send the records through the transform, but write nothing; report what would have been written.")]
        public bool DryRun { get; set; }

        [CommandOption("--cluster <CONNECTION>")]
        [Description("Replay a run of an agent group, whose rejects are in its PostgreSQL (an Npgsql connection string or postgres://user@host:port/database); the replay is recorded in the group's history.")]
        public string? Cluster { get; set; }

        [CommandOption("--group <GROUP>")]
        [Description("With --cluster: the agent group that runs the pipeline; the replay says when the pipeline file differs from the version it runs.")]
        public string? Group { get; set; }

        [CommandOption("--operation <NAME>")]
        [Description("With --cluster: the operation whose rejects to replay, when the run has rejects of more than one.")]
        public string? Operation { get; set; }

        public override ValidationResult Validate() =>
            Cluster is null && (Group is not null || Operation is not null) ? ValidationResult.Error("--group and --operation choose among an agent group's rejects: give them with --cluster CONNECTION RUN")
            : Cluster is not null && Sandbox ? ValidationResult.Error("--cluster replays an agent group's run: give it without --sandbox")
            : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Cluster is { } cluster)
        {
            return await ReplayClusterAsync(settings, cluster, cancellationToken);
        }

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

    /// <summary>Replays the rejects an agent group keeps of one operation of a run, on the group's state.</summary>
    private async Task<int> ReplayClusterAsync(Settings settings, string cluster, CancellationToken cancellationToken)
    {
        var runId = settings.File;
        using var group = ClusterState.Open(cluster, environment.Secrets);
        if (group.FindRun(runId) is not { } run)
        {
            environment.Error.WriteLine($"{runId}: the agent group knows no such run; `etl history --cluster CONNECTION` lists its runs");
            return ExitCodes.InvalidPipeline;
        }

        var operations = group.Rejects.Operations(runId);
        var chosen = settings.Operation ?? (operations.Count == 1 ? operations[0].Operation : null);
        if (chosen is null || !operations.Any(o => o.Operation == chosen))
        {
            var kept = string.Join(", ", operations.Select(o => $"'{o.Operation}' ({o.Lines})"));
            environment.Error.WriteLine(operations.Count == 0 ? $"run {runId} of {run.Pipeline} has no rejects in the agent group: nothing to replay"
                : settings.Operation is null ? $"run {runId} of {run.Pipeline} has rejects of several operations: {kept}; give one with --operation NAME"
                : $"run {runId} of {run.Pipeline} has no rejects of '{settings.Operation}'; it has rejects of {kept}");
            return ExitCodes.InvalidPipeline;
        }

        var where = group.Rejects.Describe(runId, chosen);
        RejectsFile rejects;
        try
        {
            rejects = RejectsFile.Parse(where, group.Rejects.Lines(runId, chosen));
        }
        catch (InvalidDataException ex)
        {
            environment.Error.WriteLine($"{runId}: cannot replay: {ex.Message}");
            return ExitCodes.InvalidPipeline;
        }

        // The id is project:path under the agents' PATH: from that folder, the path is the pipeline file.
        var pipeline = Path.GetFullPath(settings.Pipeline ?? run.Pipeline[(run.Pipeline.IndexOf(':', StringComparison.Ordinal) + 1)..], environment.WorkingDirectory);
        if (!System.IO.File.Exists(pipeline))
        {
            environment.Error.WriteLine($"{pipeline}: no such pipeline file; run {runId} is of {run.Pipeline}: give its file with --pipeline FILE, or run this from the agents' folder");
            return ExitCodes.InvalidPipeline;
        }

        if (settings.Group is { } name)
        {
            var registered = group.RegisteredHash(name, run.Pipeline);
            if (registered is null)
            {
                environment.Error.WriteLine($"agent group {name} runs no pipeline {run.Pipeline}");
                return ExitCodes.InvalidPipeline;
            }

            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(pipeline)))[..16].ToLowerInvariant();
            if (hash != registered && !settings.Quiet)
            {
                environment.Error.WriteLine($"{pipeline} (content hash {hash}) differs from the version group {name} runs (hash {registered}): the records go through this file's transform and target.");
            }
        }

        if (rejects.Unreplayable > 0 && !settings.Quiet)
        {
            environment.Error.WriteLine($"{rejects.Unreplayable} record(s) were rejected while reading (malformed rows) and cannot be replayed: fix the source and run again.");
        }

        settings.File = pipeline;
        return await new RunCommand(environment).RunAsync(settings, new RunCommand.Request(Operation: null, settings.DryRun, Full: false, Fresh: false, rejects)
        {
            State = group,
            PipelineKey = run.Pipeline,
        }, cancellationToken);
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
