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

    public bool IsEmpty => Records.Count == 0 && Rejects.Count == 0;
}
