using EtlRunner.Connectors.Tests.Support;
using static EtlRunner.Connectors.Tests.Sqlite.SqliteTestHelpers;

namespace EtlRunner.Connectors.Tests.Sqlite;

/// <summary>
/// A create of records the write ledger flags as sent by an interrupted earlier run (its batch committed, then the
/// process was killed before the ledger confirmed it): a duplicate of a row equal to the record is that earlier write.
/// </summary>
public sealed class SqliteEarlierAttemptTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public SqliteEarlierAttemptTests()
    {
        _path = _folder.File("warehouse.db");
    }

    public void Dispose() => _folder.Dispose();

    private async Task<WriteResult> WriteAsync(Dictionary<string, object?> activity, IReadOnlyList<Record> batch, params Record[] flagged)
    {
        var context = new FlaggingContext(flagged);
        await using var sink = CreateSink(_path, ActivityKind.Create, activity);
        var result = await sink.WriteAsync(batch, context, CancellationToken.None);
        await sink.CompleteAsync(CancellationToken.None);
        return result;
    }

    [Fact]
    public async Task Create_RecordEqualToTheConflictingRow_IsSkippedNotRejected()
    {
        Execute(_path, "CREATE TABLE contacts (email TEXT NOT NULL UNIQUE, name TEXT, visits INTEGER, note TEXT); INSERT INTO contacts VALUES ('a@x', 'Ada', 3, NULL), ('b@x', 'Bob', 1, NULL);");
        var batch = Records.Shared(["email", "name", "visits", "note"], ["a@x", "Ada", "3", null], ["b@x", "Robert", 1L, null], ["a@x", "Ada", 3L, null], ["c@x", "Cy", 2L, "new"]);

        var result = await WriteAsync(new() { ["table"] = "contacts" }, batch, batch[0], batch[1]);

        // batch[0]: flagged, equal to the row (visits "3" stored as 3 by the INTEGER column) -> skipped
        // batch[1]: flagged, but the row holds other data -> rejected as a duplicate
        // batch[2]: equal, not flagged -> skipped too: the row it would write is there (a run whose ledger was lost)
        Assert.Equal((1, 2, 1), (result.Written, result.Skipped, result.Rejected.Count));
        Assert.Equal([batch[1]], result.Rejected.Select(r => r.Record));
        Assert.All(result.Rejected, r => Assert.Equal(("UNIQUE constraint failed: contacts.email", "unique"), (r.Reason, r.Code)));
        Assert.Equal([["a@x", "Ada", 3L, null], ["b@x", "Bob", 1L, null], ["c@x", "Cy", 2L, "new"]], Rows(_path, "select * from contacts order by email"));
    }

    [Fact]
    public async Task Create_FlaggedRecordOnPrimaryKeyTable_IsSkipped()
    {
        Execute(_path, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (7, 'seven');");
        var batch = Records.Shared(["id", "name"], [7L, "seven"]);

        var result = await WriteAsync(new() { ["table"] = "t" }, batch, batch[0]);

        Assert.Equal((0, 1, 0), (result.Written, result.Skipped, result.Rejected.Count));
    }

    [Fact]
    public async Task Create_FlaggedRecordBreakingAnotherConstraint_IsStillRejected()
    {
        Execute(_path, "CREATE TABLE t (id TEXT UNIQUE, name TEXT NOT NULL);");
        var batch = Records.Shared(["id", "name"], ["1", null]);

        var result = await WriteAsync(new() { ["table"] = "t" }, batch, batch[0]);

        Assert.Equal("not_null", Assert.Single(result.Rejected).Code);
    }

    [Fact]
    public async Task Create_FlaggedRecordOnKeylessTableEqualToARow_IsSkippedNotInsertedAgain()
    {
        Execute(_path, "CREATE TABLE log (msg TEXT); INSERT INTO log VALUES ('hello');");
        var batch = Records.Shared(["msg"], ["hello"], ["world"]);

        var result = await WriteAsync(new() { ["table"] = "log" }, batch, batch[0], batch[1]);

        Assert.Equal((1, 1), (result.Written, result.Skipped));
        Assert.Equal([["hello"], ["world"]], Rows(_path, "select msg from log order by msg"));
    }

    [Fact]
    public async Task Create_FlaggedRecordDifferingOnlyInFieldsThatVaryBetweenRuns_IsSkipped()
    {
        // The interrupted run wrote its own run id; this run maps another one into the same field.
        Execute(_path, "CREATE TABLE contacts (email TEXT PRIMARY KEY, run TEXT); INSERT INTO contacts VALUES ('a@x', 'run-1');");
        var schema = new RecordSchema(["email", "run"]) { Varying = new HashSet<string> { "run" } };
        Record[] batch = [new(schema, ["a@x", "run-2"]), new(schema, ["b@x", "run-2"])];

        var result = await WriteAsync(new() { ["table"] = "contacts" }, batch, batch[0], batch[1]);

        Assert.Equal((1, 1, 0), (result.Written, result.Skipped, result.Rejected.Count));
        Assert.Equal([["a@x", "run-1"], ["b@x", "run-2"]], Rows(_path, "select * from contacts order by email"));
    }

    [Fact]
    public async Task Create_FlaggedRecordsWithCreateTableAndKey_ResumeWithoutRejects()
    {
        var activity = new Dictionary<string, object?> { ["table"] = "contacts", ["create_table"] = true, ["key"] = new[] { "email" } };
        var first = Records.Shared(["email", "name"], ["a@x", "Ada"], ["b@x", "Bob"]);
        await WriteAsync(activity, first);
        var replay = Records.Shared(["email", "name"], ["a@x", "Ada"], ["b@x", "Bob"], ["c@x", "Cy"]);

        var result = await WriteAsync(activity, replay, replay[0], replay[1], replay[2]);

        Assert.Equal((1, 2, 0), (result.Written, result.Skipped, result.Rejected.Count));
        Assert.Equal([["a@x", "Ada"], ["b@x", "Bob"], ["c@x", "Cy"]], Rows(_path, "select * from contacts order by email"));
    }

    private sealed class FlaggingContext(IEnumerable<Record> flagged) : ISinkContext
    {
        private readonly HashSet<Record> _flagged = new(flagged, ReferenceEqualityComparer.Instance);

        public void ReportWaiting(string? reason)
        {
        }

        public bool MayHaveBeenWritten(Record record) => _flagged.Contains(record);
    }
}
