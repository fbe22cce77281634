using EtlRunner.Expressions;
using EtlRunner.Planning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EtlRunner.Execution;

/// <summary>How to run a pipeline: which operation, dry run, where state goes, the clock, logging.</summary>
public sealed record RunOptions
{
    /// <summary>Run only this operation (and its chain) instead of every root operation.</summary>
    public string? Operation { get; init; }

    /// <summary>
    /// Read and transform, but change nothing: each target that can preview (<see cref="Connectors.ISink.CanPreview"/>)
    /// says what it would do with every record, counted as the real run would count it; the others count "would write".
    /// </summary>
    public bool DryRun { get; init; }

    /// <summary>With <see cref="DryRun"/>: the JSON Lines file that receives what each previewing target would do with each record.</summary>
    public string? PreviewFile { get; init; }

    /// <summary>The state folder (rejects, connector state); default <c>.etl</c> beside the pipeline file.</summary>
    public string? StateDirectory { get; init; }

    public VariableInputs Variables { get; init; } = VariableInputs.None;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The run id; by default a time-ordered id made from the clock.</summary>
    public string? RunId { get; init; }

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public IRunObserver Observer { get; init; } = NullRunObserver.Instance;

    public SecretMasker Masker { get; init; } = new();

    /// <summary>Where runs, watermarks, the write ledger and connector state are kept; null keeps nothing between runs.</summary>
    public State.IStateStore? State { get; init; }

    /// <summary>Ignore incremental watermarks for this run (a full sync); the mark still advances when it succeeds.</summary>
    public bool Full { get; init; }

    /// <summary>Abandon an interrupted run of the pipeline (recorded as abandoned) instead of resuming it.</summary>
    public bool Fresh { get; init; }

    /// <summary>The per-user folder of the resource locks (<see cref="State.ResourceLocks"/>); null takes none.</summary>
    public string? LockDirectory { get; init; }

    /// <summary>Replay: run only this file's operation, reading its rejected records instead of its source; no chain follows.</summary>
    public RejectsFile? Replay { get; init; }

    /// <summary>The schedule fire an agent runs this for (<c>system.schedule.*</c>, recorded in history); null for a run by hand.</summary>
    public Scheduling.ScheduleFire? Schedule { get; init; }

    /// <summary>API limits shared beyond this run (an agent group's, in PostgreSQL); null: each run paces its own connections.</summary>
    public Connectors.IRequestGate? RequestGate { get; init; }

    /// <summary>
    /// The name the state knows the pipeline by; default its file's canonical path. An agent group gives the
    /// pipeline's identity in the group (<c>project:path under PATH</c>), the same on every machine.
    /// </summary>
    public string? PipelineKey { get; init; }

    /// <summary>
    /// The workers each operation's transform runs on; null: as many as the machine has cores to spare
    /// (<see cref="Stages.TransformStage.DefaultWorkers"/>). The batches, their rejects and their counts are the same with any number.
    /// </summary>
    public int? TransformWorkers { get; init; }
}

/// <summary>Watches a run: operations starting and ending. Progress displays poll <see cref="OperationStats"/>.</summary>
public interface IRunObserver
{
    void OperationStarted(OperationPlan plan, OperationStats stats, string? chainedFrom);

    void OperationFinished(OperationResult result);
}

public sealed class NullRunObserver : IRunObserver
{
    public static NullRunObserver Instance { get; } = new();

    public void OperationStarted(OperationPlan plan, OperationStats stats, string? chainedFrom)
    {
    }

    public void OperationFinished(OperationResult result)
    {
    }
}
