namespace EtlRunner.Execution;

/// <summary>What stopped an operation before it finished, recorded on its <see cref="OperationResult"/>.</summary>
public enum StopCause
{
    /// <summary>The run was cancelled (Ctrl+C).</summary>
    Cancelled,

    /// <summary>It ran longer than <c>options.timeout</c>.</summary>
    TimedOut,

    /// <summary>More records were rejected than <c>options.max_rejects</c> allows.</summary>
    RejectLimit,

    /// <summary>The next batch would pass <c>options.max_deletes</c> or <c>options.max_updates</c>.</summary>
    ChangeLimit,

    /// <summary>The target stopped half-way and said why (a quota, a refused token).</summary>
    TargetStopped,

    /// <summary>A connector reported a failure: an exception came out of a call to it (creating, reading, writing, committing).</summary>
    ConnectorFailure,

    /// <summary>The state folder could not be written (the write ledger, the rejects file): the disk, not the data.</summary>
    StateFailure,

    /// <summary>An exception came out of the engine's own code: a bug in EtlRunner.</summary>
    EngineBug,
}
