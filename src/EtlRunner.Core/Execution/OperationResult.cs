namespace EtlRunner.Execution;

/// <summary>How an operation ended.</summary>
public enum OperationStatus
{
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>
    /// A dry run did not run it: its source reads what an upstream dry-run target would have written, so a preview would
    /// read data the real run would not see. Its chain goes on as after a success.
    /// </summary>
    NotPreviewed,
}

/// <summary>The outcome of one operation: status, exact counts, duration, error and rejects file.</summary>
public sealed record OperationResult(
    string Name,
    OperationStatus Status,
    OperationCounts Counts,
    DateTimeOffset StartTime,
    TimeSpan Duration,
    string? Error,
    string? RejectsFile)
{
    public bool DryRun { get; init; }

    public string? Source { get; init; }

    public string? Target { get; init; }

    /// <summary>The operation that started this one through on_success / on_failure, if any.</summary>
    public string? ChainedFrom { get; init; }

    /// <summary>The interrupted run this one resumes finished this operation: it was not run again.</summary>
    public bool FromInterruptedRun { get; init; }

    /// <summary>The state had no ledger for the pipeline (a new or deleted state database) while the target held data: records were checked before writing.</summary>
    public bool LedgerMissing { get; init; }

    /// <summary>
    /// What stopped the operation before it finished, or null when nothing did: among others, whether an exception came from
    /// the connector (<see cref="StopCause.ConnectorFailure"/>) or from a bug in the engine (<see cref="StopCause.EngineBug"/>).
    /// </summary>
    public StopCause? StoppedBy { get; init; }

    /// <summary>In a dry run, for a previewing API target: the requests the real run would send (<see cref="Connectors.ISink.PreviewRequests"/>).</summary>
    public long? PreviewRequests { get; init; }

    /// <summary>For an incremental source: the highest value of its field among the records this run processed.</summary>
    public string? HighWaterMark { get; init; }

    /// <summary>What a successful operation still tells its user (its where filtered everything, many rejects).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>The outcome of a run: every operation that ran, in order.</summary>
public sealed record RunReport(string RunId, string Project, string Environment, DateTimeOffset StartTime, TimeSpan Duration, IReadOnlyList<OperationResult> Operations)
{
    public bool DryRun { get; init; }

    /// <summary>This run resumed an interrupted one (whose id it kept): where and when that one stopped.</summary>
    public ResumedRun? Resumed { get; init; }

    /// <summary>With <c>--fresh</c>: the id of the interrupted run this one abandoned.</summary>
    public string? Abandoned { get; init; }

    /// <summary>Cancelled before an operation the run would have started (Ctrl+C between two operations, or before the first).</summary>
    public bool CutShort { get; init; }

    public bool Cancelled => CutShort || Operations.Any(o => o.Status == OperationStatus.Cancelled);

    public bool Failed => Operations.Any(o => o.Status == OperationStatus.Failed);

    public int ExitCode => Cancelled ? Diagnostics.ExitCodes.Cancelled : Failed ? Diagnostics.ExitCodes.OperationFailed : Diagnostics.ExitCodes.Ok;
}

/// <summary>An interrupted run taken up again: when it stopped (see <see cref="State.InterruptedRun.InterruptedAt"/>) and in which operation.</summary>
/// <param name="Operation">The operation it was in, or (<paramref name="AfterOperation"/>) the last one it finished.</param>
public sealed record ResumedRun(string RunId, DateTimeOffset InterruptedAt, string? Operation, bool AfterOperation)
{
    public string Describe() =>
        $"resuming run {RunId} interrupted at {Expressions.SystemVariables.Format(InterruptedAt)}"
        + (Operation is null ? string.Empty : AfterOperation ? $", after operation {Operation}" : $", operation {Operation}");
}
