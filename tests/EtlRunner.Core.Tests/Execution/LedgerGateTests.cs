using EtlRunner.Execution;
using EtlRunner.State;
using EtlRunner.Testing;

namespace EtlRunner.Core.Tests.Execution;

public sealed class LedgerGateTests
{
    private sealed class MemoryLedger : IWriteLedger
    {
        public Dictionary<long, LedgerEntry> Entries { get; } = [];

        public IReadOnlyDictionary<long, LedgerEntry> Load() => new Dictionary<long, LedgerEntry>(Entries);

        public void MarkPending(long sequence, string hash, string runId) => Entries[sequence] = new LedgerEntry(sequence, hash, LedgerState.Pending, runId);

        public void MarkDone(long sequence, string runId) => Entries[sequence] = Entries[sequence] with { State = LedgerState.Done, RunId = runId };

        public void Forget(long sequence) => Entries.Remove(sequence);
    }

    [Fact]
    public void Admit_AfterAnInterruptedRun_SkipsConfirmedBatchesAndFlagsPendingOnes()
    {
        var records = Some.Records(30, "email");
        var batches = records.Chunk(10).Select(c => (IReadOnlyList<Connectors.Record>)c).ToList();
        var ledger = new MemoryLedger();
        var first = new LedgerGate(ledger, "run-1");
        first.Confirm(first.Admit(batches[0]).Sequence);
        first.Admit(batches[1]); // killed before the target answered

        var resumed = new LedgerGate(ledger, "run-2");
        var one = resumed.Admit(batches[0]);
        var two = resumed.Admit(batches[1]);
        var flaggedTwo = resumed.MayHaveBeenWritten;
        var three = resumed.Admit(batches[2]);

        Assert.True(one.AlreadyWritten);
        Assert.False(two.AlreadyWritten);
        Assert.True(flaggedTwo);
        Assert.False(three.AlreadyWritten);
        Assert.False(resumed.MayHaveBeenWritten);
    }

    [Fact]
    public void Admit_ConfirmedBatchWhoseRecordsChanged_IsSentAgainFlagged()
    {
        var ledger = new MemoryLedger();
        var first = new LedgerGate(ledger, "run-1");
        first.Confirm(first.Admit(Some.Records(5, "email")).Sequence);

        var resumed = new LedgerGate(ledger, "run-2");
        var changed = Some.Records(5, "email").Select(r => Some.Record(("email", r["email"] + "x"))).ToList();
        var admitted = resumed.Admit(changed);

        Assert.False(admitted.AlreadyWritten);
        Assert.True(resumed.MayHaveBeenWritten);
    }

    [Fact]
    public void Hash_SameRecords_SameHashInEveryRun()
    {
        Assert.Equal(LedgerGate.Hash(Some.Records(3, "a", "b")), LedgerGate.Hash(Some.Records(3, "a", "b")));
        Assert.NotEqual(LedgerGate.Hash(Some.Records(3, "a", "b")), LedgerGate.Hash(Some.Records(4, "a", "b")));
    }
}
