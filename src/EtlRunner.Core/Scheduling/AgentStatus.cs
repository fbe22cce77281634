using System.Text.Json.Serialization;
using EtlRunner.Execution;

namespace EtlRunner.Scheduling;

/// <summary>
/// What the agents of a state folder (or of a group) are doing, as the status page, <c>GET /status.json</c> and
/// <c>etl status</c> show it: the agents, the schedules with their fire times in their zones, the operations running
/// now with their counts, and the last runs.
/// </summary>
public sealed record AgentStatus(
    DateTimeOffset At,
    IReadOnlyList<AgentView> Agents,
    IReadOnlyList<ScheduleStatus> Schedules,
    IReadOnlyList<RunningOperation> Running,
    IReadOnlyList<RecentRun> Runs);

/// <summary>An agent: its name, group (none for the embedded agent), when it last checked in, and what it runs.</summary>
/// <param name="Alive">It checked in recently (a stopped or dead agent keeps its last check-in).</param>
public sealed record AgentView(string Name, string? Group, DateTimeOffset LastCheckIn, bool Alive)
{
    /// <summary>The fires it is running, as <c>PIPELINE SCHEDULE FIRE_TIME</c>.</summary>
    public IReadOnlyList<string> Running { get; init; } = [];

    /// <summary>In a group, the pipelines whose schedules it skips, as <c>PIPELINE: why</c> (its copy differs from the registered one).</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];
}

/// <summary>A schedule in the job store: its next and previous fire time in its zone (with the zone's offset), and the status of its last run.</summary>
public sealed record ScheduleStatus(string Pipeline, string Name, string TimeZone, bool Enabled, DateTimeOffset? NextFire, DateTimeOffset? PreviousFire, string? LastStatus)
{
    /// <summary>In a group, the version of the pipeline its fires run (the Quartz execution group only agents holding that copy serve).</summary>
    public string? Version { get; init; }

    /// <summary>
    /// When a fire is due and no agent has taken it (in a group: no running agent holds <see cref="Version"/>), its
    /// fire time, and <see cref="PendingSeconds"/> how long it has waited; null otherwise.
    /// </summary>
    public DateTimeOffset? PendingSince { get; init; }

    public double? PendingSeconds { get; init; }
}

/// <summary>
/// An operation of a scheduled run going on now, with its counts when last reported (<see cref="UpdatedAt"/>). A
/// group's agents hold each run under a lease: its fencing token and the recovery attempt (1 for the first agent to
/// run it); both are null for the embedded agent, which has no leases.
/// </summary>
public sealed record RunningOperation(
    string Agent,
    string Pipeline,
    string Schedule,
    DateTimeOffset FireTime,
    string? Operation,
    long Read,
    long Filtered,
    long Written,
    long Skipped,
    long Rejected,
    DateTimeOffset UpdatedAt)
{
    public long? LeaseToken { get; init; }

    public int? Attempt { get; init; }

    [JsonIgnore]
    public OperationCounts Counts => new(Read, Filtered, Written, Skipped, Rejected);
}

/// <summary>A finished (or interrupted) run: its outcome and the sum of its operations' counts.</summary>
public sealed record RecentRun(
    string RunId,
    string Pipeline,
    string? Schedule,
    DateTimeOffset? FireTime,
    string Status,
    DateTimeOffset Start,
    DateTimeOffset End,
    long Read,
    long Filtered,
    long Written,
    long Skipped,
    long Rejected,
    string? Error)
{
    [JsonIgnore]
    public OperationCounts Counts => new(Read, Filtered, Written, Skipped, Rejected);
}

/// <summary>
/// Where agents say they are alive and what they are running, every few seconds, for those who cannot ask them
/// (<c>etl status</c>, the other agents of a group): a file in the state folder for the embedded agent, tables in
/// PostgreSQL for a group.
/// </summary>
public interface IAgentBoard
{
    /// <summary>The agent checks in with the operations it is running now (replacing what it said before).</summary>
    void Publish(AgentView agent, IReadOnlyList<RunningOperation> running);

    /// <summary>Every agent that checked in, and the operations of those alive at <paramref name="now"/>.</summary>
    (IReadOnlyList<AgentView> Agents, IReadOnlyList<RunningOperation> Running) Read(DateTimeOffset now);
}
