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

        public void MarkPending(long sequence, string hash, string runId, LedgerMark mark) => Entries[sequence] = new LedgerEntry(sequence, hash, LedgerState.Pending, runId, mark);

        public void MarkDone(long sequence, string runId, LedgerMark mark) => Entries[sequence] = Entries[sequence] with { State = LedgerState.Done, RunId = runId, Mark = mark };

        public void Settle(string runId, long rejectsLength)
        {
        }

        public void Forget(long sequence) => Entries.Remove(sequence);
    }

    [Fact]
    public void Admit_AfterAnInterruptedRun_SkipsConfirmedBatchesAndFlagsPendingOnes()
    {
        var records = Some.Records(30, "email");
        var batches = records.Chunk(10).Select(c => (IReadOnlyList<Connectors.Record>)c).ToList();
        var ledger = new MemoryLedger();
        var first = new LedgerGate(ledger, "run-1");
        first.Confirm(first.Admit(batches[0], default).Sequence, default);
        first.Admit(batches[1], default); // killed before the target answered

        var resumed = new LedgerGate(ledger, "run-2");
        var one = resumed.Admit(batches[0], default);
        var two = resumed.Admit(batches[1], default);
        var flaggedTwo = resumed.MayHaveBeenWritten;
        var three = resumed.Admit(batches[2], default);

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
        first.Confirm(first.Admit(Some.Records(5, "email"), default).Sequence, default);

        var resumed = new LedgerGate(ledger, "run-2");
        var changed = Some.Records(5, "email").Select(r => Some.Record(("email", r["email"] + "x"))).ToList();
        var admitted = resumed.Admit(changed, default);

        Assert.False(admitted.AlreadyWritten);
        Assert.True(resumed.MayHaveBeenWritten);
    }

    [Fact]
    public void Hash_SameRecords_SameHashInEveryRun()
    {
        Assert.Equal(LedgerGate.Hash(Some.Records(3, "a", "b")), LedgerGate.Hash(Some.Records(3, "a", "b")));
        Assert.NotEqual(LedgerGate.Hash(Some.Records(3, "a", "b")), LedgerGate.Hash(Some.Records(4, "a", "b")));
    }

    [Fact]
    public void Hash_RecordsMappedFromTheSameSourceRecords_IsTheSameWhateverTheMapAdded()
    {
        var source = Some.Records(3, "email");
        var schema = new Connectors.RecordSchema(["email", "run"]);
        List<Connectors.Record> Mapped(string run) => [.. source.Select(r => new Connectors.Record(schema, [r["email"], run], r.Origin) { Source = r })];

        Assert.Equal(LedgerGate.Hash(Mapped("run-1")), LedgerGate.Hash(Mapped("run-2")));
    }

    [Fact]
    public void Hash_RecordWithNumberedOrigin_IsTheHashOfItsOriginAsText()
    {
        var schema = new Connectors.RecordSchema(["id", "score", "email"]);
        object?[] values = [12L, 1.5, "a@x"];
        var numbered = new Connectors.Record(schema, values, "signups.csv:", 12);
        var text = new Connectors.Record(schema, values, "signups.csv:12");

        Assert.Equal("signups.csv:12", numbered.Origin);
        Assert.Equal(LedgerGate.Hash([text]), LedgerGate.Hash([numbered]));
        Assert.NotEqual(LedgerGate.Hash([text]), LedgerGate.Hash([new Connectors.Record(schema, values, "signups.csv:", 13)]));
    }
}
