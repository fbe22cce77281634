using System.Runtime.InteropServices;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.State;
using EtlRunner.Validation;
using Microsoft.Extensions.Logging;
using Npgsql;
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

        var name = settings.Name ?? Environment.MachineName;
        var stateDirectory = Path.GetFullPath(settings.StateDirectory ?? DefaultStateDirectory(settings.Paths[0], settings.Cluster is null ? null : name));
        AgentGroup? group = null;
        AgentLock agentLock;
        try
        {
            if (settings.Cluster is { } cluster)
            {
                group = Join(cluster, settings.Group ?? DefaultGroup, name, session.Masker);
                var logger = session.CreateLoggerFactory(settings).CreateLogger("EtlRunner.Agent");
                schedules = [.. schedules.GroupBy(s => s.PipelineId)
                    .Select(p => (Schedules: p, Version: group.Register(p.Key, p.First().Pipeline.FilePath, logger)))
                    .Where(p => p.Version is not null)
                    .SelectMany(p => p.Schedules.Select(s => s with { ExecutionGroup = p.Version }))];
            }

            agentLock = AgentLock.Acquire(stateDirectory, name, environment.TimeProvider);
        }
        catch (Exception ex) when (ex is RunLockedException or ArgumentException or NpgsqlException)
        {
            group?.Dispose();
            environment.Error.WriteLine("error: " + session.Masker.Apply(ex.Message));
            return ex is ArgumentException ? ExitCodes.InvalidPipeline : ExitCodes.OperationFailed;
        }

        using (group)
        using (agentLock)
        {
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true; // stop as on Ctrl+C: no new fire, the runs in progress finish
                stopping.Cancel();
            });
            var loggers = session.CreateLoggerFactory(settings);
            await using var requestGate = group is null ? null : new PostgresRequestGate(group.Connection.ConnectionString, environment.TimeProvider);
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
                Group = group,
                RequestGate = requestGate,
            };
            var logger = loggers.CreateLogger("EtlRunner.Agent");
            var scheduler = await AgentScheduler.CreateAsync(catalog, settings.Threads, stopping.Token);
            try
            {
                return await ServeAsync(scheduler, catalog, settings, group, logger, stopping.Token);
            }
            finally
            {
                // Also when the agent could not start (its status port taken): Quartz's threads would keep it alive.
                if (scheduler.Status != SchedulerStatus.Shutdown)
                {
                    await scheduler.Shutdown(true, CancellationToken.None);
                }
            }
        }
    }

    /// <summary>
    /// Serves the status page (before anything fires: a port that is taken stops the agent at once), then the
    /// schedules until <paramref name="stopping"/>; the runs in progress then finish.
    /// </summary>
    private async Task<int> ServeAsync(IScheduler scheduler, AgentCatalog catalog, AgentSettings settings, AgentGroup? group, ILogger logger, CancellationToken stopping)
    {
        var name = catalog.Name;
        var schedules = catalog.Schedules.Values.ToList();
        StatusHost status;
        try
        {
            status = await StatusHost.StartAsync(catalog, scheduler, settings.StatusPort, settings.StatusBind, stopping, group is null ? null : new PostgresAgentBoard(group.Connection.ConnectionString, group.Group));
        }
        catch (IOException ex)
        {
            environment.Error.WriteLine($"error: cannot serve the status page on {settings.StatusBind}:{settings.StatusPort} (--status-port): {ex.InnerException?.Message ?? ex.Message}; choose another port, or stop what listens there");
            return ExitCodes.OperationFailed;
        }

        await using (status)
        {
            await scheduler.Start(stopping);
            logger.LogInformation("Agent {Name} started{Group}: {Count} schedule(s) of {Pipelines} pipeline(s), schedule store {Store}, state {State}",
                name, group is null ? string.Empty : $" in group {group.Group}", schedules.Count, schedules.Select(s => s.PipelineId).Distinct().Count(),
                group?.Description ?? catalog.ScheduleDatabase, group is null ? catalog.StateDirectory : $"{group.Description} (rejects files in {catalog.StateDirectory})");
            try
            {
                await Task.Delay(Timeout.Infinite, stopping);
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

    /// <summary>The group of an agent given <c>--cluster</c> without <c>--group</c>.</summary>
    public const string DefaultGroup = "default";

    /// <summary>
    /// Joins the group: the connection parsed (its password masked in every output from here on), the state tables
    /// created when missing, the agent's name taken in the group.
    /// </summary>
    private static AgentGroup Join(string cluster, string groupName, string name, SecretMasker masker)
    {
        var connection = PostgresConnection.Parse(cluster);
        masker.Add(connection.Password);
        try
        {
            return AgentGroup.Join(connection, groupName, name);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new ArgumentException($"cannot use PostgreSQL at {PostgresConnection.Describe(connection)} (--cluster): {ex.Message}; check that it runs and that the user may create tables there", ex);
        }
    }

    /// <summary>.etl in the first path; an agent of a group gets its own folder in it (.etl/agents/NAME), for its rejects files.</summary>
    private static string DefaultStateDirectory(string firstPath, string? agentOfGroup)
    {
        var folder = Path.Combine(Directory.Exists(firstPath) ? firstPath : Path.GetDirectoryName(Path.GetFullPath(firstPath))!, ".etl");
        return agentOfGroup is null ? folder : Path.Combine(folder, "agents", RunContextNames.Slug(agentOfGroup));
    }
}
