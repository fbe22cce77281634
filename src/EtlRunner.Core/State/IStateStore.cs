using EtlRunner.Connectors;

namespace EtlRunner.State;

/// <summary>
/// What the engine keeps between runs: the history of runs and operations, incremental watermarks, the write
/// ledger and connectors' small state (rotated refresh tokens). The CLI keeps it in <c>.etl/state.db</c>.
/// </summary>
public interface IStateStore : IDisposable
{
    void RunStarted(RunEntry run);

    void RunFinished(string runId, string status, DateTimeOffset end);

    /// <summary>An operation of the run starts: an interrupted run names it when it is resumed.</summary>
    void OperationStarted(string runId, string operation, DateTimeOffset start);

    /// <summary>
    /// Records an operation's end in one transaction: its history row, the globals it set, its new watermark and,
    /// when it finished its job, the clearing of its write ledger. A kill can come before or after, never between.
    /// </summary>
    void OperationFinished(OperationEntry operation, OperationCompletion completion);

    /// <summary>
    /// The latest run of the pipeline, when it was interrupted (killed, or cancelled with Ctrl+C) and is neither
    /// finished nor abandoned; null otherwise. Ask while holding the pipeline's <see cref="RunLock"/>: a run still
    /// marked running is then one that died.
    /// </summary>
    InterruptedRun? FindInterrupted(string pipeline);

    /// <summary>Gives up an interrupted run (<c>etl run --fresh</c>): marked abandoned, with a history row for the operation it was in.</summary>
    void AbandonRun(InterruptedRun run, string reason, DateTimeOffset end);

    /// <summary>True when any run of the pipeline is recorded (false: a new or deleted state database).</summary>
    bool HasHistory(string pipeline);

    /// <summary>The history, newest first.</summary>
    IReadOnlyList<OperationEntry> History(string? pipeline, string? operation, int limit);

    string? GetWatermark(string pipeline, string operation);

    void SetWatermark(string pipeline, string operation, string value, string runId);

    /// <summary>Clears a watermark; false when there was none.</summary>
    bool ClearWatermark(string pipeline, string operation);

    IConnectorState ConnectorState(string pipeline, string connection);

    IWriteLedger Ledger(string pipeline, string operation);

    /// <summary>
    /// Where the store keeps rejects itself (an agent group's PostgreSQL: every agent continues one run's rejects, and
    /// <c>etl replay</c> reaches them from any machine); null when they are files in the state folder.
    /// </summary>
    IRejectsStore? Rejects => null;

    /// <summary>
    /// Where the store is, for messages (an agent group's PostgreSQL, without its password); null for the state
    /// folder's own database, which messages name by the folder.
    /// </summary>
    string? Location => null;

    /// <summary>
    /// The store refuses concurrent runs of a pipeline itself (an agent group's lease), so the engine takes no
    /// <see cref="RunLock"/> file; false for a state of one machine.
    /// </summary>
    bool LocksRuns => false;
}

/// <summary>A run as it starts.</summary>
public sealed record RunEntry(string RunId, string Pipeline, string Project, string Environment, DateTimeOffset Start)
{
    /// <summary>The <c>--operation</c> the run was limited to, if any: a resumed run must ask for the same.</summary>
    public string? Selection { get; init; }

    /// <summary>False for dry runs and replays, which are never resumed.</summary>
    public bool Resumable { get; init; }

    /// <summary>The schedule fire an agent started the run for; null for a run by hand.</summary>
    public Scheduling.ScheduleFire? Schedule { get; init; }
}

/// <summary>What an operation's end changes besides its history row (see <see cref="IStateStore.OperationFinished"/>).</summary>
/// <param name="Globals">The globals its <c>set:</c> gave, as the engine encodes them (secret values are never among them).</param>
/// <param name="Watermark">Its new incremental high-water mark.</param>
/// <param name="ClearLedger">It finished its job: its write ledger is cleared.</param>
public sealed record OperationCompletion(string? Globals, string? Watermark, bool ClearLedger);

/// <summary>A run that was interrupted: its identity, where it stopped, and the operations it finished, in order.</summary>
public sealed record InterruptedRun(
    string RunId,
    DateTimeOffset Start,
    string Status,
    DateTimeOffset? End,
    string? Operation,
    DateTimeOffset? OperationStart,
    string? Selection,
    IReadOnlyList<OperationEntry> Finished)
{
    public string Project { get; init; } = string.Empty;

    public string Environment { get; init; } = string.Empty;

    /// <summary>The schedule fire it was started for: a resumed run stays the run of that fire, whichever fire resumes it.</summary>
    public Scheduling.ScheduleFire? Schedule { get; init; }

    /// <summary>It stopped after <see cref="Operation"/> ended (its end is recorded), before the next one started.</summary>
    public bool BetweenOperations => Finished.Count > 0 && Finished[^1].Operation == Operation;

    /// <summary>When it stopped, as far as the state knows: when it was cancelled, else when its last operation started.</summary>
    public DateTimeOffset InterruptedAt => End ?? OperationStart ?? Start;
}

/// <summary>An operation of a run as it ended.</summary>
public sealed record OperationEntry(
    string RunId,
    string Pipeline,
    string Project,
    string Environment,
    string Operation,
    DateTimeOffset Start,
    DateTimeOffset End,
    string Status,
    long Read,
    long Filtered,
    long Written,
    long Skipped,
    long Rejected,
    string? Error,
    string? RejectsFile)
{
    /// <summary>The globals the operation's <c>set:</c> gave (see <see cref="OperationCompletion.Globals"/>).</summary>
    public string? Globals { get; init; }

    /// <summary>The schedule fire of the operation's run, when an agent started it.</summary>
    public Scheduling.ScheduleFire? Schedule { get; init; }

    /// <summary>Of <see cref="Written"/>: the records created; null when the target did not say, or the entry predates it.</summary>
    public long? Created { get; init; }

    /// <summary>Of <see cref="Written"/>: the records updated; null when unknown.</summary>
    public long? Updated { get; init; }

    /// <summary>Of <see cref="Written"/>: the records deleted; null when unknown.</summary>
    public long? Deleted { get; init; }

    /// <summary>Of <see cref="Skipped"/>: the records the target held identical already; null when unknown.</summary>
    public long? Unchanged { get; init; }

    /// <summary>The four kinds together, as <see cref="Execution.OperationCounts.Kinds"/> has them; null unless all are known.</summary>
    public Execution.OperationKinds? Kinds => Created is { } c && Updated is { } u && Deleted is { } d && Unchanged is { } n ? new(c, u, d, n) : null;
}
