using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Diagnostics;
using EtlRunner.Planning;
using EtlRunner.Scheduling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary><c>etl plan FILE</c>: what a run would do: chains, resolved sources and targets, every variable and where its value comes from.</summary>
internal sealed class PlanCommand(CliEnvironment environment) : AsyncCommand<FileSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, FileSettings settings, CancellationToken cancellationToken)
    {
        await using var session = new PipelineSession(environment);
        if (!session.TryLoad(settings.File, settings, out var pipeline, out var inputs))
        {
            return ExitCodes.InvalidPipeline;
        }

        pipeline = await session.ApplySandboxAsync(pipeline, settings, cancellationToken);
        var plan = PipelinePlan.Build(pipeline, session.Registry, inputs, session.Masker) with { Schedules = ScheduleView.For(pipeline, environment.TimeProvider) };
        if (settings.Json)
        {
            PlanOutput.WriteJson(environment.Out, plan, session.Masker);
        }
        else
        {
            PlanOutput.WriteText(Consoles.Create(environment), plan);
            session.ReportProblems(plan.Problems, settings);
        }

        return plan.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.InvalidPipeline;
    }
}
