namespace EtlRunner.Execution.Stages;

/// <summary>The stage a record was in when it was rejected, as the rejects file names it.</summary>
internal enum StageName
{
    Read,
    Transform,
    Write,
}

/// <summary>Why records the operation did not finish were rejected.</summary>
internal enum UnfinishedCause
{
    /// <summary>The operation stopped for another reason (a timeout, another batch's failure) while they were on their way.</summary>
    OperationStopped,

    /// <summary>Their own batch is what stopped it (the target failed on it, a guard refused it).</summary>
    OwnBatch,
}

/// <summary>
/// The reason given to records rejected because the operation did not finish them, built from data and rendered here
/// only: <c>not processed: the operation stopped (timed out after 00:00:05 (options.timeout))</c>, <c>not written:
/// writing to Db failed: disk I/O error</c>.
/// </summary>
internal sealed record RejectReason(UnfinishedCause Cause, StageName Stage, string Message)
{
    /// <summary>The code of records rejected only because the operation stopped.</summary>
    public const string StoppedCode = "stopped";

    /// <summary>The stage's name in a rejects line: <c>read</c>, <c>transform</c>, <c>write</c>.</summary>
    public static string Name(StageName stage) => stage switch
    {
        StageName.Read => "read",
        StageName.Transform => "transform",
        _ => "write",
    };

    public override string ToString() =>
        (Stage == StageName.Write ? "not written: " : "not processed: ")
        + (Cause == UnfinishedCause.OwnBatch ? Message : $"the operation stopped ({Message})");
}
