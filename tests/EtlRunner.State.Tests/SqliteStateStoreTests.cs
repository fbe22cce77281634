namespace EtlRunner.State.Tests;

/// <summary><see cref="SqliteStateStore"/> on a real file in a temp folder, reopened where a later run would reopen it: the <see cref="StateStoreBehaviour"/> of every store, and its own.</summary>
public sealed class SqliteStateStoreTests : IDisposable
{
    private const string Pipeline = "/pipelines/contacts.yaml";

    private static readonly DateTimeOffset Start = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private SqliteStateStore Open() => new(_folder.Path);

    private static OperationEntry Operation(string runId, string name) =>
        new(runId, Pipeline, "demo", "default", name, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1), "success", 12, 1, 10, 0, 1, null, null);

    [Fact]
    public void History_OperationsOfTwoRuns_AreReadBackNewestFirstAfterReopening() => new StateStoreBehaviour(Open).History_OperationsOfTwoRuns_AreReadBackNewestFirstAfterReopening();

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
    public void Ledger_PendingThenConfirmed_IsKeptUntilTheOperationFinishesItsJob() => new StateStoreBehaviour(Open).Ledger_PendingThenConfirmed_IsKeptUntilTheOperationFinishesItsJob();

    [Fact]
    public void Ledger_Settle_KeepsTheRejectsLengthOfTheRunsEntries() => new StateStoreBehaviour(Open).Ledger_Settle_KeepsTheRejectsLengthOfTheRunsEntries();

    [Fact]
    public void Watermark_SetWithTheOperationsEnd_ClearedOnRequest() => new StateStoreBehaviour(Open).Watermark_SetWithTheOperationsEnd_ClearedOnRequest();

    [Fact]
    public void ConnectorState_IsKeptPerPipelineAndConnection() => new StateStoreBehaviour(Open).ConnectorState_IsKeptPerPipelineAndConnection();

    [Fact]
    public void Interrupted_RunStillMarkedRunning_IsFoundWithTheOperationsItFinished() => new StateStoreBehaviour(Open).Interrupted_RunStillMarkedRunning_IsFoundWithTheOperationsItFinished();

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
    public void Open_FileOfTheCurrentSchema_WritesNothing()
    {
        // Given: a state file this version created, with a run in it, closed
        using (var store = Open())
        {
            store.RunStarted(new RunEntry("run-1", Pipeline, "demo", "default", Start));
        }

        var path = Path.Combine(_folder.Path, SqliteStateStore.FileName);
        var before = File.ReadAllBytes(path);

        // When: it is opened again, as the next run opens it
        var wal = new FileInfo(path + "-wal");
        using (var store = Open())
        {
            Assert.True(store.HasHistory(Pipeline));

            // Then: nothing went to the write-ahead log (any write, even of the same schema version, adds a frame)
            wal.Refresh();
            Assert.True(!wal.Exists || wal.Length == 0, $"the WAL holds {wal.Length} bytes after opening");
        }

        // And after closing not a byte of the file changed
        Assert.Equal(before, File.ReadAllBytes(path));
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
