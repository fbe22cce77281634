using EtlRunner.Diagnostics;

namespace EtlRunner.Model;

/// <summary>
/// A schedule of the pipeline file: when an agent runs an operation (or every root chain), in which time zone, and
/// what happens when a run is still going or the agents were down at a fire time.
/// </summary>
public sealed record ScheduleDefinition(Located Name, Located Cron, SourceLocation Location)
{
    /// <summary>The IANA time zone the cron fields are read in; null is UTC. The agent machine's zone never matters.</summary>
    public Located? TimeZone { get; init; }

    /// <summary>The operation run with its chain; null runs every root chain, like <c>etl run</c>.</summary>
    public Located? Operation { get; init; }

    public ScheduleOverlap Overlap { get; init; } = ScheduleOverlap.Skip;

    public ScheduleMisfire Misfire { get; init; } = ScheduleMisfire.RunOnce;

    public bool Enabled { get; init; } = true;

    public string TimeZoneId => TimeZone?.Value ?? "UTC";
}

/// <summary>What a fire time does while the previous run of the same schedule is still going.</summary>
public enum ScheduleOverlap
{
    /// <summary>Nothing: the fire time is skipped (and logged).</summary>
    Skip,

    /// <summary>The run waits for the previous one and starts when it ends.</summary>
    Queue,
}

/// <summary>What the fire times missed while no agent was running do once one starts.</summary>
public enum ScheduleMisfire
{
    /// <summary>One run at once for all the missed fire times, then the schedule as usual.</summary>
    RunOnce,

    /// <summary>No run for missed fire times: the next one on the schedule is the next run.</summary>
    Skip,
}

/// <summary>The names the pipeline file gives the schedule choices.</summary>
public static class ScheduleChoices
{
    public static string ToName(this ScheduleOverlap overlap) => overlap == ScheduleOverlap.Queue ? "queue" : "skip";

    public static string ToName(this ScheduleMisfire misfire) => misfire == ScheduleMisfire.Skip ? "skip" : "run_once";
}
