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

    void OperationFinished(OperationEntry operation);

    /// <summary>The history, newest first.</summary>
    IReadOnlyList<OperationEntry> History(string? pipeline, string? operation, int limit);

    string? GetWatermark(string pipeline, string operation);

    void SetWatermark(string pipeline, string operation, string value, string runId);

    /// <summary>Clears a watermark; false when there was none.</summary>
    bool ClearWatermark(string pipeline, string operation);

    IConnectorState ConnectorState(string pipeline, string connection);

    IWriteLedger Ledger(string pipeline, string operation);
}

/// <summary>A run as it starts.</summary>
public sealed record RunEntry(string RunId, string Pipeline, string Project, string Environment, DateTimeOffset Start);

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
    string? RejectsFile);
