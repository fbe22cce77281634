using System.Runtime.InteropServices;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Diagnostics;
using EtlRunner.Model;
using EtlRunner.State;
using EtlRunner.Validation;
using Microsoft.Extensions.Logging;
using Quartz;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Agent;

/// <summary>
/// <c>etl agent PATH...</c>: the embedded single-machine agent. Loads and validates every pipeline under PATH
/// (refusing to start on any problem), registers their schedules in the Quartz job store of the state folder and runs
/// them until Ctrl+C or SIGTERM, then lets the runs in progress finish. One agent per state folder.
/// </summary>
internal sealed class AgentCommand(CliEnvironment environment) : AsyncCommand<AgentSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, AgentSettings settings, CancellationToken cancellationToken)
    {
        await using var session = new PipelineSession(environment);
        if (session.Inputs(settings) is not { } inputs)
        {
            return ExitCodes.InvalidPipeline;
        }

        var (schedules, problems) = Load(settings.Paths, session, inputs);
        if (problems.Count > 0)
        {
            session.ReportProblems(problems, settings);
            return ExitCodes.InvalidPipeline;
        }

        if (schedules.Count == 0)
        {
            environment.Error.WriteLine($"error: no enabled schedule in {string.Join(", ", settings.Paths)}; add a 'schedules:' section (see docs/agents.md)");
            return ExitCodes.InvalidPipeline;
        }

        var stateDirectory = Path.GetFullPath(settings.StateDirectory ?? DefaultStateDirectory(settings.Paths[0]));
        var name = settings.Name ?? Environment.MachineName;
        AgentLock agentLock;
        try
        {
            agentLock = AgentLock.Acquire(stateDirectory, name, environment.TimeProvider);
        }
        catch (RunLockedException ex)
        {
            environment.Error.WriteLine("error: " + ex.Message);
            return ExitCodes.OperationFailed;
        }

        using (agentLock)
        {
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true; // stop as on Ctrl+C: no new fire, the runs in progress finish
                stopping.Cancel();
            });
            var loggers = session.CreateLoggerFactory(settings);
            var catalog = new AgentCatalog
            {
                Name = name,
                Schedules = schedules.ToDictionary(s => s.Key),
                StateDirectory = stateDirectory,
                LockDirectory = ResourceLocks.DefaultFolder(environment.EnvironmentVariable),
                Registry = session.Registry,
                Variables = inputs,
                Masker = session.Masker,
                TimeProvider = environment.TimeProvider,
                LoggerFactory = loggers,
            };
            var logger = loggers.CreateLogger("EtlRunner.Agent");
            var scheduler = await AgentScheduler.StartAsync(catalog, settings.Threads, stopping.Token);
            await using var status = await StatusHost.StartAsync(catalog, scheduler, settings.StatusPort, settings.StatusBind, stopping.Token);
            logger.LogInformation("Agent {Name} started: {Count} schedule(s) of {Pipelines} pipeline(s), schedule store {Store}, state {State}",
                name, schedules.Count, schedules.Select(s => s.PipelineId).Distinct().Count(), catalog.ScheduleDatabase, stateDirectory);
            try
            {
                await Task.Delay(Timeout.Infinite, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                logger.LogInformation("Agent {Name} stopping: no new fire; waiting for the runs in progress to finish", name);
            }

            await scheduler.Shutdown(true, CancellationToken.None);
            logger.LogInformation("Agent {Name} stopped", name);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Every enabled schedule under the paths, with every problem of every file (shape and meaning).</summary>
    private static (List<AgentSchedule> Schedules, List<Diagnostic> Problems) Load(IEnumerable<string> paths, PipelineSession session, Expressions.VariableInputs inputs)
    {
        var schedules = new List<AgentSchedule>();
        var problems = new List<Diagnostic>();
        foreach (var path in paths)
        {
            var files = PipelineFiles.Expand([path], out var missing);
            problems.AddRange(missing.Select(m => new Diagnostic(new SourceLocation(m, 0, 0), "not found: give a pipeline file or a folder of them")));
            var root = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
            foreach (var file in files)
            {
                var (pipeline, found) = PipelineCheck.File(file, session.Registry, inputs, session.Masker, requireValues: true);
                problems.AddRange(found);
                if (pipeline is not null && found.Count == 0)
                {
                    var id = $"{pipeline.Project.Value}:{Path.GetRelativePath(root, file).Replace('\\', '/')}";
                    schedules.AddRange(pipeline.Schedules.Where(s => s.Enabled).Select(s => new AgentSchedule(id, pipeline, s)));
                }
            }
        }

        return (schedules, problems);
    }

    private static string DefaultStateDirectory(string firstPath) =>
        Path.Combine(Directory.Exists(firstPath) ? firstPath : Path.GetDirectoryName(Path.GetFullPath(firstPath))!, ".etl");
}
