using System.ComponentModel;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary><c>etl run FILE</c>: validate, then run every root operation (or one) and its chain.</summary>
internal sealed class RunCommand(CliEnvironment environment) : AsyncCommand<RunCommand.Settings>
{
    public sealed class Settings : FileSettings
    {
        [CommandOption("--operation <NAME>")]
        [Description("Run only this operation and its chain.")]
        public string? Operation { get; set; }

        [CommandOption("--dry-run")]
        [Description("Read sources and run transforms, but write nothing; report what would have been written.")]
        public bool DryRun { get; set; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var session = new PipelineSession(environment);
        var inputs = session.Inputs(settings);
        var pipeline = inputs is null ? null : session.Load(settings.File, settings, inputs);
        if (pipeline is null || inputs is null)
        {
            return ExitCodes.InvalidPipeline;
        }

        pipeline = await session.ApplySandboxAsync(pipeline, settings, cancellationToken);
        var progress = settings.Quiet || settings.Json ? null : new ProgressReporter(environment.Error, environment.TimeProvider, environment.ProgressInterval);
        var options = new RunOptions
        {
            Operation = settings.Operation,
            DryRun = settings.DryRun,
            StateDirectory = PipelineSession.StateDirectory(settings, pipeline),
            Variables = inputs,
            TimeProvider = environment.TimeProvider,
            LoggerFactory = session.CreateLoggerFactory(settings),
            Observer = (IRunObserver?)progress ?? NullRunObserver.Instance,
            Masker = session.Masker,
        };

        RunReport report;
        try
        {
            report = await new PipelineRunner(session.Registry).RunAsync(pipeline, options, cancellationToken);
        }
        catch (PipelineDefinitionException ex)
        {
            session.ReportProblems(ex.Diagnostics, settings);
            return ExitCodes.InvalidPipeline;
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
            SummaryRenderer.Render(Consoles.Create(environment.Out, environment.NoColor), report, session.Masker);
        }

        return report.ExitCode;
    }
}
