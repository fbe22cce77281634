using System.ComponentModel;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using EtlRunner.State;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary><c>etl run FILE</c>: validate, then run every root operation (or one) and its chain.</summary>
internal sealed class RunCommand(CliEnvironment environment) : AsyncCommand<RunCommand.Settings>
{
    public class Settings : FileSettings
    {
        [CommandOption("--operation <NAME>")]
        [Description("Run only this operation and its chain.")]
        public string? Operation { get; set; }

        [CommandOption("--full")]
        [Description("Ignore incremental watermarks this once (a full sync); the mark still advances when the run succeeds.")]
        public bool Full { get; set; }

        [CommandOption("--fresh")]
        [Description("Give up an interrupted run of this pipeline (recorded as abandoned in etl history) and start a new one, instead of resuming it.")]
        public bool Fresh { get; set; }

        [CommandOption("--dry-run")]
        [Description("Read sources and run transforms, and ask each target what it would do with every record, changing nothing: the summary says what would be created, updated, skipped, deleted and rejected.")]
        public bool DryRun { get; set; }

        [CommandOption("--preview <FILE>")]
        [Description("With --dry-run: write what each target would do with each record to FILE, one JSON line per record (operation, key, action, changed fields, reason; secrets masked).")]
        public string? Preview { get; set; }

        public override ValidationResult Validate() =>
            Preview is not null && !DryRun ? ValidationResult.Error("--preview FILE needs --dry-run (it writes what a dry run would do with each record): add --dry-run, or drop --preview") : base.Validate();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, new Request(settings.Operation, settings.DryRun, settings.Full, settings.Fresh, Replay: null)
        {
            PreviewFile = settings.Preview is null ? null : Path.GetFullPath(settings.Preview, environment.WorkingDirectory),
        }, cancellationToken);

    /// <summary>Runs the pipeline of <paramref name="settings"/>; with a replay, only that rejects file's operation, fed its records.</summary>
    internal async Task<int> RunAsync(FileCommandSettings settings, Request request, CancellationToken cancellationToken)
    {
        await using var session = new PipelineSession(environment);
        if (!session.TryLoad(settings.File, settings, out var pipeline, out var inputs))
        {
            return ExitCodes.InvalidPipeline;
        }

        SecretsHint.Write(environment, session.Registry, pipeline, inputs, settings);
        pipeline = await session.ApplySandboxAsync(pipeline, settings, cancellationToken);
        var progress = ProgressDisplay.Create(environment, settings, request.DryRun);
        var stateDirectory = PipelineSession.Layout(settings, pipeline).Folder;
        IStateStore? state = request.State;
        if (state is null && session.TryOpenState(stateDirectory, settings, out var local))
        {
            state = local;
        }

        if (state is null)
        {
            return ExitCodes.InvalidPipeline;
        }

        var sources = new SourceWatcher(progress);
        var options = new RunOptions
        {
            Replay = request.Replay,
            Operation = request.Operation,
            DryRun = request.DryRun,
            PreviewFile = request.PreviewFile,
            Full = request.Full,
            Fresh = request.Fresh,
            State = state,
            StateDirectory = stateDirectory,
            LockDirectory = ResourceLocks.DefaultFolder(environment.EnvironmentVariable),
            Variables = inputs,
            TimeProvider = environment.TimeProvider,
            LoggerFactory = session.CreateLoggerFactory(settings),
            Observer = sources,
            Masker = session.Masker,
            PipelineKey = request.PipelineKey,
        };

        RunReport report;
        try
        {
            report = await new PipelineRunner(session.Registry).RunAsync(pipeline, options, cancellationToken);
        }
        finally
        {
            if (progress is not null)
            {
                await progress.DisposeAsync();
            }
        }

        session.ReportSandbox(settings);
        if (settings.Json)
        {
            JsonOutput.WriteReport(environment.Out, report, session.Masker);
        }
        else
        {
            SummaryRenderer.Render(Consoles.Create(environment), report, session.Masker, sources);
        }

        return report.ExitCode;
    }

    /// <summary>What to run: the choices of <c>etl run</c>, or of <c>etl replay</c> with its rejects file.</summary>
    internal sealed record Request(string? Operation, bool DryRun, bool Full, bool Fresh, RejectsFile? Replay)
    {
        /// <summary>With a dry run: where <c>--preview</c> writes what each target would do with each record.</summary>
        public string? PreviewFile { get; init; }

        /// <summary>The state to run on instead of the state folder's (<c>etl replay --cluster</c>: the group's), not disposed here.</summary>
        public IStateStore? State { get; init; }

        /// <summary>The name <see cref="State"/> knows the pipeline by (its id in the group); null: the file's path.</summary>
        public string? PipelineKey { get; init; }
    }
}
