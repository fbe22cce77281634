namespace EtlRunner.State.Tests;

/// <summary><see cref="SqliteStateStore"/> on a real file in a temp folder, reopened where a later run would reopen it.</summary>
public sealed class SqliteStateStoreTests : IDisposable
{
    private const string Pipeline = "/pipelines/contacts.yaml";
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private SqliteStateStore Open() => new(_folder.Path);

    private static OperationEntry Operation(string runId, string name, string status = "success", long written = 10) =>
        new(runId, Pipeline, "demo", "default", name, Start, Start.AddMinutes(1), status, Read: 12, Filtered: 1, written, Skipped: 0, Rejected: 1, Error: null, RejectsFile: null);

    [Fact]
    public void History_OperationsOfTwoRuns_AreReadBackNewestFirstAfterReopening()
    {
        // Given
        using (var store = Open())
        {
            store.RunStarted(new RunEntry("run-1", Pipeline, "demo", "default", Start) { Resumable = true });
            store.OperationFinished(Operation("run-1", "Export"), new OperationCompletion(Globals: "{\"n\":1}", Watermark: null, ClearLedger: false));
            store.RunFinished("run-1", "success", Start.AddMinutes(1));
            store.RunStarted(new RunEntry("run-2", Pipeline, "demo", "default", Start.AddHours(1)));
            store.OperationFinished(Operation("run-2", "Export", "failed", written: 0), new OperationCompletion(null, null, false));
        }

        // When
        using var reopened = Open();
        var history = reopened.History(Pipeline, "Export", 10);

        // Then
        Assert.Equal(["run-2", "run-1"], history.Select(h => h.RunId));
        Assert.Equal(Operation("run-1", "Export") with { Globals = "{\"n\":1}" }, history[1]);
        Assert.True(reopened.HasHistory(Pipeline));
        Assert.False(reopened.HasHistory("/pipelines/other.yaml"));
        Assert.Empty(reopened.History("/pipelines/other.yaml", null, 10));
    }

    [Fact]
    public void History_KindsOfTheWrittenRecords_AreKeptAndOlderEntriesReadThemAsUnknown()
    {
        // Given: a state file of schema 4 (before the kinds), with an operation in it
        using (var store = Open())
        {
            store.RunStarted(new RunEntry("run-1", Pipeline, "demo", "default", Start));
            store.OperationFinished(Operation("run-1", "Export"), new OperationCompletion(null, null, false));
        }

        var path = Path.Combine(_folder.Path, SqliteStateStore.FileName);
        SqliteFile.Execute(path, "CREATE TABLE old AS SELECT * FROM operations; DROP TABLE operations;");
        SqliteFile.Execute(path, """
            CREATE TABLE operations (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, pipeline TEXT NOT NULL, project TEXT NOT NULL,
                environment TEXT NOT NULL, operation TEXT NOT NULL, start_time TEXT NOT NULL, end_time TEXT NOT NULL, status TEXT NOT NULL,
                read INTEGER NOT NULL, filtered INTEGER NOT NULL, written INTEGER NOT NULL, skipped INTEGER NOT NULL, rejected INTEGER NOT NULL,
                error TEXT, rejects_file TEXT, globals TEXT);
            INSERT INTO operations SELECT id, run_id, pipeline, project, environment, operation, start_time, end_time, status, read, filtered, written, skipped, rejected, error, rejects_file, globals FROM old;
            DROP TABLE old; PRAGMA user_version = 4;
            """);

        // When
        using (var store = Open())
        {
            store.RunStarted(new RunEntry("run-2", Pipeline, "demo", "default", Start.AddHours(1)));
            store.OperationFinished(Operation("run-2", "Export") with { Created = 6, Updated = 3, Deleted = 1, Unchanged = 0 }, new OperationCompletion(null, null, false));
        }

        using var reopened = Open();
        var history = reopened.History(Pipeline, "Export", 10);

        // Then
        Assert.Equal(new EtlRunner.Execution.OperationKinds(6, 3, 1, 0), history[0].Kinds);
        Assert.Equal((null, null, null, null, null), (history[1].Created, history[1].Updated, history[1].Deleted, history[1].Unchanged, history[1].Kinds));
        Assert.Equal(10, history[1].Written);
    }

    [Fact]
    public void Ledger_PendingThenConfirmed_IsKeptUntilTheOperationFinishesItsJob()
    {
        // Given: batch 1 confirmed, batch 2 sent but never confirmed (the run was killed)
        using (var store = Open())
        {
            var ledger = store.Ledger(Pipeline, "Load");
            ledger.MarkPending(1, "hash-1", "run-1", new LedgerMark(0, 100));
            ledger.MarkDone(1, "run-1", new LedgerMark(40, 200));
            ledger.MarkPending(2, "hash-2", "run-1", new LedgerMark(40, 200));
            ledger.MarkPending(3, "hash-3", "run-1", new LedgerMark(40, 200));
            ledger.Forget(3);
        }

        // When: a later run reopens the state
        using var reopened = Open();
        var entries = reopened.Ledger(Pipeline, "Load").Load();
        var otherOperation = reopened.Ledger(Pipeline, "Export").Load();
        reopened.OperationFinished(Operation("run-2", "Load"), new OperationCompletion(null, null, ClearLedger: true));

        // Then
        Assert.Equal(new LedgerEntry(1, "hash-1", LedgerState.Done, "run-1", new LedgerMark(40, 200)), entries[1]);
        Assert.Equal(new LedgerEntry(2, "hash-2", LedgerState.Pending, "run-1", new LedgerMark(40, 200)), entries[2]);
        Assert.Equal(2, entries.Count);
        Assert.Empty(otherOperation);
        Assert.Empty(reopened.Ledger(Pipeline, "Load").Load());
    }

    [Fact]
    public void Ledger_Settle_KeepsTheRejectsLengthOfTheRunsEntries()
    {
        using var store = Open();
        var ledger = store.Ledger(Pipeline, "Load");
        ledger.MarkPending(1, "hash-1", "run-1", new LedgerMark(0, null));
        ledger.MarkPending(2, "hash-2", "run-2", new LedgerMark(0, null));

        ledger.Settle("run-1", 512);

        var entries = ledger.Load();
        Assert.Equal(512, entries[1].Mark.RejectsLength);
        Assert.Equal(0, entries[2].Mark.RejectsLength);
    }

    [Fact]
    public void Watermark_SetWithTheOperationsEnd_ClearedOnRequest()
    {
        // Given
        using (var store = Open())
        {
            store.OperationFinished(Operation("run-1", "Export"), new OperationCompletion(null, Watermark: "2026-12-02T08:00:00Z", ClearLedger: false));
            store.SetWatermark(Pipeline, "Mirror", "41", "run-1");
        }

        // When
        using var reopened = Open();
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

    [Fact]
    public void ConnectorState_IsKeptPerPipelineAndConnection()
    {
        using (var store = Open())
        {
            store.ConnectorState(Pipeline, "Constant Contact").Set("refresh_token", "rotated-1");
            store.ConnectorState(Pipeline, "Constant Contact").Set("refresh_token", "rotated-2");
            store.ConnectorState(Pipeline, "Other").Set("refresh_token", "other");
        }

        using var reopened = Open();
        Assert.Equal("rotated-2", reopened.ConnectorState(Pipeline, "Constant Contact").Get("refresh_token"));
        Assert.Equal("other", reopened.ConnectorState(Pipeline, "Other").Get("refresh_token"));
        Assert.Null(reopened.ConnectorState("/pipelines/other.yaml", "Constant Contact").Get("refresh_token"));
    }

    [Fact]
    public void Open_CorruptFile_ThrowsNamingTheFileAndWhatToDo()
    {
        // Given
        var path = _folder.WriteBytes(SqliteStateStore.FileName, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);

        // When
        var refused = Assert.Throws<StateDatabaseException>(Open);

        // Then
        Assert.Equal(path, refused.Path);
        Assert.StartsWith("not a readable state database (", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"mv {path} {path}.broken", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_TwiceAtOnce_BothWriteAndSeeEachOthersWrites()
    {
        // Given: two stores on one folder, as two runs of different pipelines sharing a state folder
        using var first = Open();
        using var second = Open();

        // When
        await Task.WhenAll(
            Task.Run(() => Write(first, "A")),
            Task.Run(() => Write(second, "B")));

        // Then
        foreach (var store in new[] { first, second })
        {
            Assert.Equal(50, store.History(Pipeline, "A", 100).Count);
            Assert.Equal(50, store.History(Pipeline, "B", 100).Count);
            Assert.Equal("49", store.GetWatermark(Pipeline, "A"));
            Assert.Equal("49", store.GetWatermark(Pipeline, "B"));
        }

        static void Write(SqliteStateStore store, string operation)
        {
            for (var i = 0; i < 50; i++)
            {
                store.OperationFinished(Operation($"run-{operation}-{i}", operation), new OperationCompletion(null, i.ToString(System.Globalization.CultureInfo.InvariantCulture), false));
            }
        }
    }
}
