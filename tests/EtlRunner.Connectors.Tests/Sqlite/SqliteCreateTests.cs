using EtlRunner.Connectors.Tests.Support;
using static EtlRunner.Connectors.Tests.Sqlite.SqliteTestHelpers;

namespace EtlRunner.Connectors.Tests.Sqlite;

public sealed class SqliteCreateTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public SqliteCreateTests()
    {
        _path = _folder.File("warehouse.db");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Write_CreateTable_InfersColumnTypesFromFirstRecord()
    {
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "contacts", ["create_table"] = true, ["key"] = new[] { "email" } });
        var batch = Records.Shared(["email", "visits", "score", "active", "note"], ["a@x", 3L, 1.5, true, null], ["b@x", 4L, 2.5, false, "hi"]);

        var results = await Records.WriteAllAsync(sink, batch);

        Assert.Equal(2, results[0].Written);
        var columns = Rows(_path, "select name, type, \"notnull\" from pragma_table_info('contacts') order by cid");
        Assert.Equal(["email|TEXT|1", "visits|INTEGER|0", "score|REAL|0", "active|INTEGER|0", "note||0"], columns.Select(c => string.Join('|', c)));
        Assert.Equal([["a@x", 3L, 1.5, 1L, null], ["b@x", 4L, 2.5, 0L, "hi"]], Rows(_path, "select * from contacts order by email"));
    }

    [Fact]
    public async Task Write_LongAndNonAsciiTextBetweenRows_StoresEveryValueAsGiven()
    {
        // The texts of a row are bound from one buffer SQLite reads in place: a row longer than it (here 20,000
        // characters, 3 bytes each in UTF-8) must not leave the fields bound before it pointing at the old one.
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "notes", ["create_table"] = true });
        var long1 = new string('€', 20_000);
        var batch = Records.Shared(["id", "before", "body", "after"],
            ["1", "Zoë", "short", "naïve"],
            ["2", "Ωmega", long1, "tail ✓"],
            ["3", "", "日本語", null],
            ["4", "x", 5L, "y"]);

        await Records.WriteAllAsync(sink, batch);

        Assert.Equal(
            [["1", "Zoë", "short", "naïve"], ["2", "Ωmega", long1, "tail ✓"], ["3", "", "日本語", null], ["4", "x", "5", "y"]], // body took TEXT affinity from the first row
            Rows(_path, "select id, before, body, after from notes order by id"));
    }

    [Fact]
    public async Task Write_MissingDatabaseAndFolder_CreatesThem()
    {
        var path = _folder.File("nested/deeper/new.db");
        var sink = CreateSink(path, ActivityKind.Create, new() { ["table"] = "t", ["create_table"] = true });

        await Records.WriteAllAsync(sink, Records.Shared(["a"], ["1"]));

        Assert.Equal([["1"]], Rows(path, "select a from t"));
    }

    [Fact]
    public async Task Write_NamesWithQuotesSpacesAndKeywords_AreQuoted()
    {
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "order \"details\"", ["create_table"] = true });

        await Records.WriteAllAsync(sink, [Records.Of(("select", "1"), ("first name", "Ada"), ("a\"b", "q"))]);

        Assert.Equal([["1", "Ada", "q"]], Rows(_path, "select \"select\", \"first name\", \"a\"\"b\" from \"order \"\"details\"\"\""));
    }

    [Fact]
    public async Task Write_ConstraintViolation_RejectsOnlyThatRow()
    {
        Execute(_path, "CREATE TABLE contacts (email TEXT NOT NULL UNIQUE, name TEXT); INSERT INTO contacts VALUES ('a@x', 'old');");
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "contacts" });
        var batch = Records.Shared(["email", "name"], ["b@x", "Bob"], ["a@x", "dup"], [null, "nobody"], ["c@x", "Cy"]);

        var results = await Records.WriteAllAsync(sink, batch);

        Assert.Equal(2, results[0].Written);
        Assert.Equal(2, results[0].Rejected.Count);
        Assert.Same(batch[1], results[0].Rejected[0].Record);
        Assert.Equal("UNIQUE constraint failed: contacts.email", results[0].Rejected[0].Reason);
        Assert.Equal("unique", results[0].Rejected[0].Code);
        Assert.Equal("NOT NULL constraint failed: contacts.email", results[0].Rejected[1].Reason);
        Assert.Equal([["a@x", "old"], ["b@x", "Bob"], ["c@x", "Cy"]], Rows(_path, "select * from contacts order by email"));
    }

    [Fact]
    public async Task Write_OnConflictIgnore_CountsDuplicatesAsSkipped()
    {
        Execute(_path, "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT); INSERT INTO t VALUES ('1', 'old');");
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "t", ["on_conflict"] = "ignore" });

        var results = await Records.WriteAllAsync(sink, Records.Shared(["k", "v"], ["2", "two"], ["1", "new"]));

        Assert.Equal((1, 1, 0), (results[0].Written, results[0].Skipped, results[0].Rejected.Count));
        Assert.Equal([["1", "old"], ["2", "two"]], Rows(_path, "select * from t order by k"));
    }

    [Fact]
    public async Task Write_OnConflictReplace_ReplacesWholeRow()
    {
        Execute(_path, "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT, w TEXT); INSERT INTO t VALUES ('1', 'old', 'kept?');");
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "t", ["on_conflict"] = "replace" });

        var results = await Records.WriteAllAsync(sink, Records.Shared(["k", "v"], ["1", "new"]));

        Assert.Equal(1, results[0].Written);
        Assert.Equal([["1", "new", null]], Rows(_path, "select * from t"));
    }

    [Fact]
    public async Task Write_OnConflictUpsert_UpdatesOnlyMappedNonKeyFields()
    {
        var activity = new Dictionary<string, object?> { ["table"] = "contacts", ["create_table"] = true, ["on_conflict"] = "upsert", ["key"] = new[] { "email" } };
        await Records.WriteAllAsync(CreateSink(_path, ActivityKind.Create, activity), Records.Shared(["email", "name", "city"], ["a@x", "Ada", "London"]));

        var results = await Records.WriteAllAsync(CreateSink(_path, ActivityKind.Create, activity), Records.Shared(["email", "name"], ["a@x", "Ada L."], ["b@x", "Bob"]));

        Assert.Equal(2, results[0].Written);
        Assert.Equal([["a@x", "Ada L.", "London"], ["b@x", "Bob", null]], Rows(_path, "select * from contacts order by email"));
    }

    [Fact]
    public async Task Write_FieldThatIsNotAColumn_RejectsRecordWithReason()
    {
        Execute(_path, "CREATE TABLE t (a TEXT, b TEXT)");
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "t" });
        var bad = Records.Of(("a", "1"), ("zip", "2"));

        var results = await Records.WriteAllAsync(sink, [Records.Of(("A", "ok")), bad]);

        Assert.Equal(1, results[0].Written);
        var rejected = Assert.Single(results[0].Rejected);
        Assert.Same(bad, rejected.Record);
        Assert.Equal("the field 'zip' is not a column of t (its columns are a, b)", rejected.Reason);
    }

    [Fact]
    public async Task Write_MissingTableWithoutCreateTable_ThrowsWithHint()
    {
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "nope" });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Records.WriteAllAsync(sink, Records.Shared(["a"], ["1"])));

        Assert.Contains("The table nope does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("create_table: true", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_ValuesOfEveryType_StoreAsSqliteValues()
    {
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "t", ["create_table"] = true });
        var nested = new Dictionary<string, object?> { ["a"] = 1L, ["b"] = new List<object?> { "é", null } };
        var record = Records.Of(("yes", true), ("no", false), ("json", nested), ("when", new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero)), ("big", 12.5m));

        await Records.WriteAllAsync(sink, [record]);

        Assert.Equal([[1L, 0L, "{\"a\":1,\"b\":[\"é\",null]}", "2024-05-06T07:08:09.0000000+00:00", 12.5]], Rows(_path, "select * from t"));
    }

    [Fact]
    public async Task Write_SeveralBatches_CommitsEachAndReusesConnection()
    {
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "t", ["create_table"] = true });
        var schema = new RecordSchema(["n"]);
        var batches = Enumerable.Range(0, 5).Select(b => (IReadOnlyList<Record>)[.. Enumerable.Range(0, 100).Select(i => new Record(schema, [(long)(b * 100 + i)]))]).ToArray();

        var results = await Records.WriteAllAsync(sink, batches);

        Assert.All(results, r => Assert.Equal(100, r.Written));
        Assert.Equal([[500L, 0L, 499L]], Rows(_path, "select count(*), min(n), max(n) from t"));
    }

    [Fact]
    public async Task Write_DatabaseLockedByAnotherConnection_ThrowsClearError()
    {
        Execute(_path, "CREATE TABLE t (a TEXT)");
        using var other = Open(_path);
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }

        var connection = new Dictionary<string, object?> { ["database"] = _path, ["busy_timeout"] = 1L };
        var sink = new EtlRunner.Connectors.Sqlite.SqliteConnector().CreateSink(Contexts.Activity(ActivityKind.Create, connection, new() { ["table"] = "t" }));

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => Records.WriteAllAsync(sink, Records.Shared(["a"], ["1"])));

        Assert.Equal($"database is locked by another process: {_path} (waited 1 s)", ex.Message);
    }

    [Fact]
    public async Task Write_UpsertWithoutUniqueKeyInTable_ThrowsNamingTheProblem()
    {
        Execute(_path, "CREATE TABLE t (k TEXT, v TEXT)");
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "t", ["on_conflict"] = "upsert", ["key"] = "k" });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Records.WriteAllAsync(sink, Records.Shared(["k", "v"], ["1", "a"])));

        Assert.Contains("ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint", ex.Message, StringComparison.Ordinal);
        Assert.Equal([[0L]], Rows(_path, "select count(*) from t"));
    }

    [Fact]
    public async Task Write_DifferentSchemasInOneBatch_EachGetsItsStatement()
    {
        Execute(_path, "CREATE TABLE t (a TEXT, b TEXT)");
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "t" });

        var results = await Records.WriteAllAsync(sink, [Records.Of(("a", "1")), Records.Of(("b", "2")), Records.Of(("a", "3"), ("b", "4"))]);

        Assert.Equal(3, results[0].Written);
        Assert.Equal([["1", null], [null, "2"], ["3", "4"]], Rows(_path, "select a, b from t order by rowid"));
    }
}
