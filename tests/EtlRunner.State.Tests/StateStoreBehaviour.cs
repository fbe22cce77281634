namespace EtlRunner.State.Tests;

/// <summary>
/// What every <see cref="IStateStore"/> does, whatever keeps it: each test class of a store runs these against it
/// (<see cref="SqliteStateStoreTests"/> on a real file, <see cref="PostgresStateStoreTests"/> on a real PostgreSQL).
/// Each instance writes its own pipelines, so stores shared between tests (one database) do not see each other.
/// </summary>
public sealed class StateStoreBehaviour(Func<IStateStore> open)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    private string Folder => "/pipelines/" + _id;

    public string Pipeline => Folder + "/contacts.yaml";

    private string Other => Folder + "/other.yaml";

    public OperationEntry Operation(string runId, string name, string status = "success", long written = 10) =>
        new(runId, Pipeline, "demo", "default", name, Start, Start.AddMinutes(1), status, Read: 12, Filtered: 1, written, Skipped: 0, Rejected: 1, Error: null, RejectsFile: null);

    public void History_OperationsOfTwoRuns_AreReadBackNewestFirstAfterReopening()
    {
        // Given
        using (var store = open())
        {
            store.RunStarted(new RunEntry(_id + "-run-1", Pipeline, "demo", "default", Start) { Resumable = true });
            store.OperationFinished(Operation(_id + "-run-1", "Export") with { Created = 6, Updated = 3, Deleted = 1, Unchanged = 0 }, new OperationCompletion(Globals: "{\"n\":1}", Watermark: null, ClearLedger: false));
            store.RunFinished(_id + "-run-1", "success", Start.AddMinutes(1));
            store.RunStarted(new RunEntry(_id + "-run-2", Pipeline, "demo", "default", Start.AddHours(1)));
            store.OperationFinished(Operation(_id + "-run-2", "Export", "failed", written: 0), new OperationCompletion(null, null, false));
        }

        // When
        using var reopened = open();
        var history = reopened.History(Pipeline, "Export", 10);

        // Then
        Assert.Equal([_id + "-run-2", _id + "-run-1"], history.Select(h => h.RunId));
        Assert.Equal(Operation(_id + "-run-1", "Export") with { Globals = "{\"n\":1}", Created = 6, Updated = 3, Deleted = 1, Unchanged = 0 }, history[1]);
        Assert.True(reopened.HasHistory(Pipeline));
        Assert.False(reopened.HasHistory(Other));
        Assert.Empty(reopened.History(Other, null, 10));
    }

    public void Ledger_PendingThenConfirmed_IsKeptUntilTheOperationFinishesItsJob()
    {
        // Given: batch 1 confirmed, batch 2 sent but never confirmed (the run was killed)
        using (var store = open())
        {
            var ledger = store.Ledger(Pipeline, "Load");
            ledger.MarkPending(1, "hash-1", _id + "-run-1", new LedgerMark(0, 100));
            ledger.MarkDone(1, _id + "-run-1", new LedgerMark(40, 200));
            ledger.MarkPending(2, "hash-2", _id + "-run-1", new LedgerMark(40, 200));
            ledger.MarkPending(3, "hash-3", _id + "-run-1", new LedgerMark(40, 200));
            ledger.Forget(3);
        }

        // When: a later run reopens the state
        using var reopened = open();
        var entries = reopened.Ledger(Pipeline, "Load").Load();
        var otherOperation = reopened.Ledger(Pipeline, "Export").Load();
        reopened.OperationFinished(Operation(_id + "-run-2", "Load"), new OperationCompletion(null, null, ClearLedger: true));

        // Then
        Assert.Equal(new LedgerEntry(1, "hash-1", LedgerState.Done, _id + "-run-1", new LedgerMark(40, 200)), entries[1]);
        Assert.Equal(new LedgerEntry(2, "hash-2", LedgerState.Pending, _id + "-run-1", new LedgerMark(40, 200)), entries[2]);
        Assert.Equal(2, entries.Count);
        Assert.Empty(otherOperation);
        Assert.Empty(reopened.Ledger(Pipeline, "Load").Load());
    }

    public void Ledger_Settle_KeepsTheRejectsLengthOfTheRunsEntries()
    {
        using var store = open();
        var ledger = store.Ledger(Pipeline, "Load");
        ledger.MarkPending(1, "hash-1", _id + "-run-1", new LedgerMark(0, null));
        ledger.MarkPending(2, "hash-2", _id + "-run-2", new LedgerMark(0, null));

        ledger.Settle(_id + "-run-1", 512);

        var entries = ledger.Load();
        Assert.Equal(512, entries[1].Mark.RejectsLength);
        Assert.Equal(0, entries[2].Mark.RejectsLength);
    }

    public void Watermark_SetWithTheOperationsEnd_ClearedOnRequest()
    {
        // Given
        using (var store = open())
        {
            store.OperationFinished(Operation(_id + "-run-1", "Export"), new OperationCompletion(null, Watermark: "2026-12-02T08:00:00Z", ClearLedger: false));
            store.SetWatermark(Pipeline, "Mirror", "41", _id + "-run-1");
        }

        // When
        using var reopened = open();
        var export = reopened.GetWatermark(Pipeline, "Export");
        var cleared = reopened.ClearWatermark(Pipeline, "Export");
        var clearedAgain = reopened.ClearWatermark(Pipeline, "Export");

        // Then
        Assert.Equal("2026-12-02T08:00:00Z", export);
        Assert.True(cleared);
        Assert.False(clearedAgain);
        Assert.Null(reopened.GetWatermark(Pipeline, "Export"));
        Assert.Equal("41", reopened.GetWatermark(Pipeline, "Mirror"));
    }

    public void ConnectorState_IsKeptPerPipelineAndConnection()
    {
        using (var store = open())
        {
            store.ConnectorState(Pipeline, "Constant Contact").Set("refresh_token", "rotated-1");
            store.ConnectorState(Pipeline, "Constant Contact").Set("refresh_token", "rotated-2");
            store.ConnectorState(Pipeline, "Other").Set("refresh_token", "other");
        }

        using var reopened = open();
        Assert.Equal("rotated-2", reopened.ConnectorState(Pipeline, "Constant Contact").Get("refresh_token"));
        Assert.Equal("other", reopened.ConnectorState(Pipeline, "Other").Get("refresh_token"));
        Assert.Null(reopened.ConnectorState(Other, "Constant Contact").Get("refresh_token"));
    }

    public void Interrupted_RunStillMarkedRunning_IsFoundWithTheOperationsItFinished()
    {
        // Given: a scheduled run that finished one operation and was killed in the next
        var fire = new Scheduling.ScheduleFire("every-2s", Start);
        using (var store = open())
        {
            store.RunStarted(new RunEntry(_id + "-run-1", Pipeline, "demo", "default", Start) { Resumable = true, Selection = "Export", Schedule = fire });
            store.OperationStarted(_id + "-run-1", "Export", Start);
            store.OperationFinished(Operation(_id + "-run-1", "Export"), new OperationCompletion(null, null, true));
            store.OperationStarted(_id + "-run-1", "Mirror", Start.AddMinutes(1));
        }

        // When
        using var reopened = open();
        var interrupted = reopened.FindInterrupted(Pipeline);

        // Then
        Assert.NotNull(interrupted);
        Assert.Equal((_id + "-run-1", "running", "Mirror", "Export"), (interrupted.RunId, interrupted.Status, interrupted.Operation, interrupted.Selection));
        Assert.Equal(Start.AddMinutes(1), interrupted.OperationStart);
        Assert.Equal(fire, interrupted.Schedule);
        Assert.Equal(["Export"], interrupted.Finished.Select(o => o.Operation));
        Assert.Equal(fire, reopened.History(Pipeline, null, 10).Single().Schedule);
        reopened.RunFinished(_id + "-run-1", "success", Start.AddMinutes(2));
        Assert.Null(reopened.FindInterrupted(Pipeline));
        Assert.Null(reopened.FindInterrupted(Other));
    }
}
