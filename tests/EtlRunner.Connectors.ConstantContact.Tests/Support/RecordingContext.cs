using System.Collections.Concurrent;

namespace EtlRunner.Connectors.ConstantContact.Tests.Support;

/// <summary>Collects what a source or sink tells the engine: waits, progress, read rejects; and flags chosen records as possibly written already.</summary>
internal sealed class RecordingContext : ISourceContext, ISinkContext
{
    private int _done;

    public ConcurrentQueue<string?> Waits { get; } = new();

    public ConcurrentQueue<(long Position, long? Total)> Progress { get; } = new();

    public ConcurrentQueue<(string Origin, string Reason)> ReadRejects { get; } = new();

    public void RejectRead(string origin, string rawText, string reason) => ReadRejects.Enqueue((origin, reason));

    public void ReportProgress(long position, long? total) => Progress.Enqueue((position, total));

    public void ReportWaiting(string? reason) => Waits.Enqueue(reason);

    /// <summary>The records the write ledger would flag as sent by an interrupted earlier run (by reference).</summary>
    public HashSet<Record> Uncertain { get; } = new(ReferenceEqualityComparer.Instance);

    public bool MayHaveBeenWritten(Record record) => Uncertain.Contains(record);

    /// <summary>The records a target reported done one by one (<see cref="ISinkContext.ReportDone"/>).</summary>
    public int Done => Volatile.Read(ref _done);

    public void ReportDone(int records) => Interlocked.Add(ref _done, records);
}
