using EtlRunner.Connectors.Sqlite;
using EtlRunner.Connectors.Tests.Support;
using static EtlRunner.Connectors.Tests.Sqlite.SqliteTestHelpers;

namespace EtlRunner.Connectors.Tests.Sqlite;

public sealed class SqliteSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public SqliteSourceTests()
    {
        _path = _folder.File("warehouse.db");
        Execute(_path, """
            CREATE TABLE contacts (id INTEGER, email TEXT, score REAL, photo BLOB, updated_at TEXT);
            INSERT INTO contacts VALUES (1, 'a@x', 1.5, x'0102', '2024-01-01'), (2, 'b@x', NULL, NULL, '2024-03-01'), (3, 'c@x', 3.0, NULL, '2024-06-01');
            """);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Read_Table_ValuesKeepTheirSqliteTypes()
    {
        var records = await QueryAsync(_path, new() { ["table"] = "contacts" });

        Assert.Equal(3, records.Count);
        Assert.Same(records[0].Schema, records[2].Schema);
        Assert.Equal(["id", "email", "score", "photo", "updated_at"], records[0].Schema.Names);
        Assert.Equal(1L, records[0]["id"]);
        Assert.Equal("a@x", records[0]["email"]);
        Assert.Equal(1.5, records[0]["score"]);
        Assert.Equal("AQI=", records[0]["photo"]);
        Assert.Null(records[1]["score"]);
        Assert.Equal("contacts row 1", records[0].Origin);
        Assert.Equal("contacts row 3", records[2].Origin);
    }

    [Theory]
    [InlineData("$since")]
    [InlineData("@since")]
    [InlineData(":since")]
    public async Task Read_SqlWithNamedParameter_BindsFromParametersMap(string placeholder)
    {
        var activity = new Dictionary<string, object?>
        {
            ["sql"] = $"select email from contacts where updated_at > {placeholder} order by id",
            ["parameters"] = new Dictionary<string, object?> { ["since"] = "2024-02-01" },
        };

        var records = await QueryAsync(_path, activity);

        Assert.Equal(["b@x", "c@x"], records.Select(r => (string)r["email"]!));
        Assert.Equal("query row 1", records[0].Origin);
    }

    [Fact]
    public async Task Read_BoundTextValues_AreBoundInCodeJoinedInsideStringsAndDroppedInComments()
    {
        // Given: the parts of  select ... where email like '%[at]' and id >= [min] -- [note]
        var sql = new BoundText(
            "(as written)",
            ["select email from contacts where email like '%", "' and id >= ", " -- ", "\n order by id"],
            ["@x", 2L, "'; drop table contacts; --"]);

        // When
        var records = await QueryAsync(_path, new Dictionary<string, object?> { ["sql"] = sql });

        // Then
        Assert.Equal(["b@x", "c@x"], records.Select(r => (string)r["email"]!));
    }

    [Fact]
    public void Validate_BoundValueInsideAQuotedName_IsRefused()
    {
        var activity = new Settings(new Dictionary<string, object?> { ["sql"] = new BoundText("select * from \"[t]\"", ["select * from \"", "\""], ["contacts"]) });

        var problems = new SqliteConnector().Validate(ActivityKind.Query, Settings.Empty, activity);

        Assert.Equal("a [variable] inside a quoted name in sql cannot be bound as a value: name the table or column in the text, or read a whole table with table:", Assert.Single(problems).Message);
    }

    [Fact]
    public async Task Read_ParameterValueWithQuotes_IsBoundNotSpliced()
    {
        var activity = new Dictionary<string, object?>
        {
            ["sql"] = "select count(*) as n from contacts where email = $email",
            ["parameters"] = new Dictionary<string, object?> { ["email"] = "x' or '1'='1" },
        };

        var records = await QueryAsync(_path, activity);

        Assert.Equal(0L, Assert.Single(records)["n"]);
    }

    [Fact]
    public async Task Read_JoinWithRepeatedColumnNames_MakesNamesUnique()
    {
        var records = await QueryAsync(_path, new() { ["sql"] = "select a.id, b.id from contacts a join contacts b on a.id = b.id limit 1" });

        Assert.Equal(["id", "id_2"], records[0].Schema.Names);
    }

    [Fact]
    public async Task Read_TableNameWithSpacesAndQuotes_IsQuoted()
    {
        Execute(_path, """CREATE TABLE "my ""odd"" table" ("select" TEXT); INSERT INTO "my ""odd"" table" VALUES ('ok');""");

        var records = await QueryAsync(_path, new() { ["table"] = "my \"odd\" table" });

        Assert.Equal("ok", Assert.Single(records)["select"]);
    }

    [Fact]
    public async Task Read_MissingDatabase_ThrowsNamingPathWithoutCreatingIt()
    {
        var path = _folder.File("missing.db");

        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => QueryAsync(path, new() { ["table"] = "t" }));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Read_SqlParameterWithoutValue_NamesItAndSaysToAddIt()
    {
        var activity = new Dictionary<string, object?>
        {
            ["sql"] = "select email from contacts where updated_at > $since and id > @min_id",
            ["parameters"] = new Dictionary<string, object?> { ["since"] = "2024-02-01" },
        };

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => QueryAsync(_path, activity));

        Assert.Equal("The sql uses @min_id but parameters gives no value for it: add it to the query's parameters.", ex.Message);
    }

    [Fact]
    public async Task Read_EmptyTable_ReturnsNoRecords()
    {
        Execute(_path, "CREATE TABLE empty (a TEXT)");

        var records = await QueryAsync(_path, new() { ["table"] = "empty" });

        Assert.Empty(records);
    }

    [Fact]
    public async Task Read_WhileTargetWrites_SeesCommittedRows()
    {
        var sink = CreateSink(_path, ActivityKind.Create, new() { ["table"] = "contacts" });
        await using (sink)
        {
            await sink.WriteAsync(Records.Shared(["id", "email"], [4L, "d@x"]), NullSinkContext.Instance, CancellationToken.None);

            var records = await QueryAsync(_path, new() { ["sql"] = "select count(*) as n from contacts" });

            Assert.Equal(4L, Assert.Single(records)["n"]);
        }
    }
}
