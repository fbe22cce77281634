using EtlRunner.Connectors;

namespace EtlRunner.Execution.Stages;

/// <summary>
/// Records on their way through the stages (a chunk from the source, then a batch for the target) with the rejects
/// met while they were gathered (malformed rows, transform failures): the write stage appends those with the
/// batch's own rejects and makes them durable before the batch is confirmed in the write ledger.
/// </summary>
internal sealed class Batch(int capacity)
{
    public List<Record> Records { get; } = new(capacity);

    public List<string> Rejects { get; } = [];

    /// <summary>
    /// The batch's <see cref="LedgerGate.Hash"/>, computed by the transform stage as it cuts the batch (off the write
    /// stage, which runs the target); null when it did not (no ledger), and the write stage computes it if it needs it.
    /// </summary>
    public string? Hash { get; set; }

    public bool IsEmpty => Records.Count == 0 && Rejects.Count == 0;
}
