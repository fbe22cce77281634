using EtlRunner.Connectors;
using EtlRunner.Expressions;
using EtlRunner.Model;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EtlRunner.Cli.Agent;

/// <summary>A schedule the agent runs, with its pipeline and the pipeline's identity (project and path under PATH).</summary>
internal sealed record AgentSchedule(string PipelineId, PipelineDefinition Pipeline, ScheduleDefinition Schedule)
{
    /// <summary>The schedule's job (and trigger) in the job store: named after the schedule, grouped by pipeline.</summary>
    public JobKey Key { get; } = new(Schedule.Name.Value, PipelineId);

    /// <summary>
    /// In a group, the Quartz execution group of the pipeline's version (<see cref="AgentGroup.VersionGroup"/>): its
    /// triggers carry it and only agents holding that version serve it. Null for the embedded agent.
    /// </summary>
    public string? ExecutionGroup { get; init; }
}

/// <summary>What every scheduled run of one agent shares: its schedules, state folder (or group), variable inputs, clock and logging.</summary>
internal sealed class AgentCatalog
{
    public required string Name { get; init; }

    public required IReadOnlyDictionary<JobKey, AgentSchedule> Schedules { get; init; }

    public required string StateDirectory { get; init; }

    public required string? LockDirectory { get; init; }

    public required ConnectorRegistry Registry { get; init; }

    public required VariableInputs Variables { get; init; }

    public required SecretMasker Masker { get; init; }

    public required TimeProvider TimeProvider { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>The live counts of the runs in progress, for the status page and <c>etl status</c>.</summary>
    public StatusProgress Progress { get; } = new();

    /// <summary>The agent group with <c>--cluster</c>: schedules, leases and run state in PostgreSQL; null for the embedded agent.</summary>
    public AgentGroup? Group { get; init; }

    /// <summary>With <c>--cluster</c>: Constant Contact's pacing and daily budget, shared by the group's agents through PostgreSQL.</summary>
    public Connectors.IRequestGate? RequestGate { get; init; }

    /// <summary>The schedule store: a SQLite file of its own beside state.db (sharing one file lost writes in a trial).</summary>
    public string ScheduleDatabase => Path.Combine(StateDirectory, "schedule.db");
}
