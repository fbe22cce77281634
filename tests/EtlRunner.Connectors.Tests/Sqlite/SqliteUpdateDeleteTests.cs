using EtlRunner.Connectors.Tests.Support;
using static EtlRunner.Connectors.Tests.Sqlite.SqliteTestHelpers;

namespace EtlRunner.Connectors.Tests.Sqlite;

public sealed class SqliteUpdateDeleteTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public SqliteUpdateDeleteTests()
    {
        _path = _folder.File("warehouse.db");
        Execute(_path, """
            CREATE TABLE contacts (email TEXT, list INTEGER, name TEXT, city TEXT);
            INSERT INTO contacts VALUES ('a@x', 1, 'Ada', 'London'), ('a@x', 2, 'Ada', 'Paris'), ('b@x', 1, 'Bob', 'Rome');
            """);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Update_MatchingRow_SetsMappedNonKeyFieldsOnly()
    {
        var sink = CreateSink(_path, ActivityKind.Update, new() { ["table"] = "contacts", ["key"] = new[] { "email", "list" } });

        var results = await Records.WriteAllAsync(sink, Records.Shared(["email", "list", "city"], ["a@x", 2L, "Berlin"]));

        Assert.Equal(1, results[0].Written);
        Assert.Equal([["a@x", 1L, "Ada", "London"], ["a@x", 2L, "Ada", "Berlin"], ["b@x", 1L, "Bob", "Rome"]], Rows(_path, "select * from contacts order by email, list"));
    }

    [Fact]
    public async Task Update_NoMatchingRow_RejectsWithReason()
    {
        var sink = CreateSink(_path, ActivityKind.Update, new() { ["table"] = "contacts", ["key"] = "email" });

        var results = await Records.WriteAllAsync(sink, Records.Shared(["email", "name"], ["b@x", "Bobby"], ["x@y", "Nobody"]));

        Assert.Equal(1, results[0].Written);
        var rejected = Assert.Single(results[0].Rejected);
        Assert.Equal("no row in contacts matches email = x@y", rejected.Reason);
        Assert.Equal("no_match", rejected.Code);
    }

    [Fact]
    public async Task Update_RecordWithoutKeyField_IsRejected()
    {
        var sink = CreateSink(_path, ActivityKind.Update, new() { ["table"] = "contacts", ["key"] = "email" });

        var results = await Records.WriteAllAsync(sink, [Records.Of(("name", "x"))], [Records.Of(("email", null), ("name", "y"))]);

        Assert.Equal("the record has no key field 'email'", Assert.Single(results[0].Rejected).Reason);
        Assert.Equal("the key field 'email' is empty", Assert.Single(results[1].Rejected).Reason);
    }

    [Fact]
    public async Task Update_RecordWithOnlyKeyFields_IsRejected()
    {
        var sink = CreateSink(_path, ActivityKind.Update, new() { ["table"] = "contacts", ["key"] = "email" });

        var results = await Records.WriteAllAsync(sink, [Records.Of(("email", "a@x"))]);

        Assert.StartsWith("nothing to update", Assert.Single(results[0].Rejected).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_MatchingRow_DeletesIt()
    {
        var sink = CreateSink(_path, ActivityKind.Delete, new() { ["table"] = "contacts", ["key"] = "email" });

        var results = await Records.WriteAllAsync(sink, Records.Shared(["email", "ignored"], ["b@x", "whatever"]));

        Assert.Equal(1, results[0].Written);
        Assert.Equal([[2L]], Rows(_path, "select count(*) from contacts"));
    }

    [Fact]
    public async Task Delete_NoMatchingRow_RejectsWithReason()
    {
        var sink = CreateSink(_path, ActivityKind.Delete, new() { ["table"] = "contacts", ["key"] = new[] { "email", "list" } });

        var results = await Records.WriteAllAsync(sink, Records.Shared(["email", "list"], ["b@x", 1L], ["b@x", 9L]));

        Assert.Equal(1, results[0].Written);
        Assert.Equal("no row in contacts matches email = b@x and list = 9", Assert.Single(results[0].Rejected).Reason);
        Assert.Equal([[2L]], Rows(_path, "select count(*) from contacts"));
    }
}
