using EtlRunner.Connectors.Tests.Support;
using static EtlRunner.Connectors.Tests.Sqlite.SqliteTestHelpers;

namespace EtlRunner.Connectors.Tests.Sqlite;

/// <summary>A dry run's SQLite target: it predicts each record's outcome exactly as the write then has it, and changes nothing.</summary>
public sealed class SqlitePreviewTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public SqlitePreviewTests()
    {
        _path = _folder.File("warehouse.db");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Preview_Upsert_PredictsCreatesUpdatesAndUnchangedAsTheWriteThenHasThem()
    {
        Execute(_path, "CREATE TABLE contacts (email TEXT PRIMARY KEY, name TEXT, visits INTEGER); INSERT INTO contacts VALUES ('a@x', 'Ada', 3), ('b@x', 'Bob', 1);");
        var upsert = new Dictionary<string, object?> { ["table"] = "contacts", ["on_conflict"] = "upsert", ["key"] = new[] { "email" } };
        var first = Records.Shared(["email", "name", "visits"], ["a@x", "Ada", "3"], ["b@x", "Bobby", 1L], ["c@x", "Cy", 1L]);
        var second = Records.Shared(["email", "name", "visits"], ["c@x", "Cyril", 2L]);
        var before = File.ReadAllBytes(_path);

        var preview = await Records.WriteAllAsync(CreateSink(_path, ActivityKind.Create, upsert, preview: true), first, second);

        Assert.Equal(before, File.ReadAllBytes(_path));
        Assert.Equal(
            [("a@x", RecordAction.Skip, null), ("b@x", RecordAction.Update, "name"), ("c@x", RecordAction.Create, null), ("c@x", RecordAction.Update, "name,visits")],
            preview.SelectMany(r => r.Previews!).Select(p => (p.Key, p.Action, p.ChangedFields is null ? null : string.Join(',', p.ChangedFields))));
        var written = await Records.WriteAllAsync(CreateSink(_path, ActivityKind.Create, upsert), first, second);
        Assert.Equal([new WriteKinds(1, 1, 0, 1), new WriteKinds(0, 1, 0, 0)], preview.Select(r => r.Kinds!.Value));
        Assert.Equal(preview.Select(r => (r.Kinds, r.Written, r.Skipped)), written.Select(r => (r.Kinds, r.Written, r.Skipped)));
        Assert.Equal([["a@x", "Ada", 3L], ["b@x", "Bobby", 1L], ["c@x", "Cyril", 2L]], Rows(_path, "select * from contacts order by email"));
    }

    [Fact]
    public async Task Preview_ConstraintViolations_PredictTheRejectsWithTheWritesReasons()
    {
        Execute(_path, "CREATE TABLE people (email TEXT NOT NULL UNIQUE, age INTEGER CHECK (age >= 0)); INSERT INTO people VALUES ('a@x', 30);");
        var create = new Dictionary<string, object?> { ["table"] = "people" };
        var batch = Records.Shared(["email", "age"], ["a@x", 31L], ["b@x", -1L], [null, 5L], ["c@x", 7L], ["c@x", 8L]);
        var before = File.ReadAllBytes(_path);

        var preview = await Records.WriteAllAsync(CreateSink(_path, ActivityKind.Create, create, preview: true), batch);

        Assert.Equal(before, File.ReadAllBytes(_path));
        var written = await Records.WriteAllAsync(CreateSink(_path, ActivityKind.Create, create), batch);
        Assert.Equal(
            ["UNIQUE constraint failed: people.email", "CHECK constraint failed: age >= 0", "NOT NULL constraint failed: people.email", "UNIQUE constraint failed: people.email"],
            preview[0].Rejected.Select(r => r.Reason));
        Assert.Equal(written[0].Rejected.Select(r => (r.Record, r.Reason, r.Code)), preview[0].Rejected.Select(r => (r.Record, r.Reason, r.Code)));
        Assert.Equal(written[0].Rejected.Select(r => r.Reason), preview[0].Previews!.Where(p => p.Action == RecordAction.Reject).Select(p => p.Reason));
        Assert.Equal((1, written[0].Kinds), (preview[0].Written, preview[0].Kinds));
    }

    [Fact]
    public async Task Preview_MissingDatabase_CreatesEveryRecordThroughTheTableCreationRulesAndCreatesNoFile()
    {
        var path = _folder.File("new/warehouse.db");
        var create = new Dictionary<string, object?> { ["table"] = "contacts", ["create_table"] = true, ["key"] = new[] { "email" } };
        var batch = Records.Shared(["email", "name"], ["a@x", "Ada"], ["b@x", "Bob"], ["a@x", "again"]);

        var preview = await Records.WriteAllAsync(CreateSink(path, ActivityKind.Create, create, preview: true), batch);

        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
        Assert.Equal([RecordAction.Create, RecordAction.Create, RecordAction.Reject], preview[0].Previews!.Select(p => p.Action));
        var written = await Records.WriteAllAsync(CreateSink(path, ActivityKind.Create, create), batch);
        Assert.Equal(written[0].Rejected.Select(r => r.Reason), preview[0].Rejected.Select(r => r.Reason));
        Assert.Equal(new WriteKinds(2, 0, 0, 0), preview[0].Kinds);
    }

    [Fact]
    public async Task Preview_UpdateAndDelete_PredictNoMatchAndLeaveTheRowsAlone()
    {
        Execute(_path, "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT); INSERT INTO t VALUES ('1', 'one'), ('2', 'two');");
        var key = new[] { "k" };
        var updates = Records.Shared(["k", "v"], ["1", "uno"], ["2", "two"], ["3", "tres"]);
        var deletes = Records.Shared(["k"], ["2"], ["9"]);

        var update = await Records.WriteAllAsync(CreateSink(_path, ActivityKind.Update, new() { ["table"] = "t", ["key"] = key }, preview: true), updates);
        var delete = await Records.WriteAllAsync(CreateSink(_path, ActivityKind.Delete, new() { ["table"] = "t", ["key"] = key }, preview: true), deletes);

        Assert.Equal([RecordAction.Update, RecordAction.Skip, RecordAction.Reject], update[0].Previews!.Select(p => p.Action));
        Assert.Equal("no row in t matches k = 3", update[0].Rejected.Single().Reason);
        Assert.Equal([RecordAction.Delete, RecordAction.Reject], delete[0].Previews!.Select(p => p.Action));
        Assert.Equal([["1", "one"], ["2", "two"]], Rows(_path, "select * from t order by k"));
        var written = await Records.WriteAllAsync(CreateSink(_path, ActivityKind.Update, new() { ["table"] = "t", ["key"] = key }), updates);
        Assert.Equal((update[0].Kinds, update[0].Written, update[0].Skipped), (written[0].Kinds, written[0].Written, written[0].Skipped));
        Assert.Equal(new WriteKinds(0, 1, 0, 1), written[0].Kinds);
    }
}
