using System.Globalization;
using EtlRunner.Connectors;
using EtlRunner.State;

namespace EtlRunner.Execution;

/// <summary>
/// Puts the write ledger around every batch the target receives. Batches are numbered in the order the operation
/// hands them over, which is the same on a rerun of the same input; each is hashed from the source records it was made
/// from (their origins and payloads as the source gave them), never from the transform's output, so a map that uses
/// <c>system.run.id</c> or the clock still finds the batches an interrupted run confirmed. A batch an interrupted run confirmed (same number, same hash) is not sent again; one it left pending,
/// or one whose records changed, is sent with its records flagged so the target checks before writing.
/// When the state store keeps the rejects (<see cref="RejectsWriter.Stores"/>), a batch's confirmation carries the
/// rejects lines held since the last one into the same transaction (<see cref="Confirm"/>).
/// </summary>
internal sealed class LedgerGate(IWriteLedger ledger, string runId, RejectsWriter? rejects = null)
{
    private readonly IReadOnlyDictionary<long, LedgerEntry> _earlier = ledger.Load();
    private long _sequence;
    private bool _uncertain;

    /// <summary>
    /// The length each earlier run's rejects file had at the last entry it made (pending: before its batch; confirmed:
    /// after): lines past it belong to batches this run sends again.
    /// </summary>
    public IEnumerable<(string RunId, long RejectsLength)> EarlierRejects =>
        _earlier.Values.GroupBy(e => e.RunId, StringComparer.Ordinal).Select(g => (g.Key, g.Max(e => e.Mark.RejectsLength)));

    /// <summary>Where an append target stood at the interrupted run's last entry, or null: what it appended after that is cut off.</summary>
    public long? EarlierTargetLength => _earlier.Count == 0 ? null : _earlier[_earlier.Keys.Max()].Mark.TargetLength;

    /// <summary>
    /// True when an earlier run confirmed batch <paramref name="sequence"/>: the rejects met while its records were read
    /// and transformed are in that run's rejects file already.
    /// </summary>
    public bool ConfirmedEarlier(long sequence) => _earlier.TryGetValue(sequence, out var entry) && entry.State == LedgerState.Done;

    /// <summary>Before a batch: its ledger number, and whether an earlier run already wrote it.</summary>
    public (long Sequence, bool AlreadyWritten) Admit(IReadOnlyList<Record> batch, LedgerMark mark) => Admit(Hash(batch), mark);

    /// <summary>Before a batch whose <see cref="Hash"/> is known already: its ledger number, and whether an earlier run already wrote it.</summary>
    public (long Sequence, bool AlreadyWritten) Admit(string hash, LedgerMark mark)
    {
        var sequence = ++_sequence;
        _uncertain = false;
        if (_earlier.TryGetValue(sequence, out var entry))
        {
            if (entry.State == LedgerState.Done && entry.Hash == hash)
            {
                return (sequence, true);
            }

            _uncertain = true; // pending, or the input changed since: let the target check each record
        }

        ledger.MarkPending(sequence, hash, runId, mark);
        return (sequence, false);
    }

    /// <summary>True for the records of a batch an earlier run may have written.</summary>
    public bool MayHaveBeenWritten => _uncertain;

    /// <summary>
    /// Confirms a batch once the target has it and its rejects are on disk, with the lengths they reached; when the store
    /// keeps the rejects, with the lines held since the last confirmation, which become durable in the same
    /// transaction (and are refused with it when the run's lease was lost).
    /// </summary>
    public void Confirm(long sequence, LedgerMark mark)
    {
        if (rejects is not { Stores: true })
        {
            ledger.MarkDone(sequence, runId, mark);
            return;
        }

        rejects.Commit((lines, length) => ledger.MarkDone(sequence, runId, mark with { RejectsLength = length }, lines));
    }

    public void Abandon(long sequence) => ledger.Forget(sequence);

    /// <summary>The operation ended without succeeding: its rejects file, as it is now, is complete.</summary>
    public void Settle(long rejectsLength) => ledger.Settle(runId, rejectsLength);

    /// <summary>
    /// A stable hash of the batch (FNV-1a over the origins and values of the source records behind it): the same input
    /// gives the same hash in every run, whatever the transform adds.
    /// </summary>
    public static string Hash(IReadOnlyList<Record> batch)
    {
        // Origins and numbers are formatted into one buffer, not into a string each: the text hashed is the same.
        Span<char> buffer = stackalloc char[128];
        var hash = 14695981039346656037UL;
        foreach (var mapped in batch)
        {
            var record = mapped.Source ?? mapped;
            hash = record.TryFormatOrigin(buffer, out var written) ? Mix(hash, buffer[..written]) : Mix(hash, record.Origin);
            for (var i = 0; i < record.Count; i++)
            {
                hash = record.GetValue(i) switch
                {
                    null => Mix(hash, "\0"),
                    string s => Mix(hash, s),
                    ISpanFormattable f when f.TryFormat(buffer, out written, default, CultureInfo.InvariantCulture) => Mix(hash, buffer[..written]),
                    IFormattable f => Mix(hash, f.ToString(null, CultureInfo.InvariantCulture)),
                    var other => Mix(hash, other.ToString()),
                };
            }
        }

        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    private static ulong Mix(ulong hash, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (hash ^ 0x1F) * 1099511628211UL;
    }
}
