using EtlRunner.Connectors.Sqlite;
using EtlRunner.Connectors.Tests.Support;
using static EtlRunner.Connectors.Tests.Sqlite.SqliteTestHelpers;

namespace EtlRunner.Connectors.Tests.Sqlite;

public sealed class SqliteConnectorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void AddSqlite_RegistersSqliteType()
    {
        var registry = new ConnectorRegistry().AddSqlite();

        Assert.IsType<SqliteConnector>(registry.Get("sqlite"));
    }

    [Fact]
    public void Descriptor_SupportsAllFourActivitiesWithDescribedParameters()
    {
        var descriptor = new SqliteConnector().Descriptor;
        var all = descriptor.ConnectionParameters.Concat(descriptor.Activities.SelectMany(a => a.Parameters)).ToList();

        Assert.Equal("sqlite connections support query, create, update and delete", descriptor.DescribeSupportedActivities());
        Assert.All(all, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), p.Name));
        Assert.Equal(["fail", "ignore", "replace", "upsert"], all.Single(p => p.Name == "on_conflict").AllowedValues);
        Assert.Equal("fail", all.Single(p => p.Name == "on_conflict").Default);
        Assert.True(descriptor.FindActivity(ActivityKind.Update)!.Parameters.Single(p => p.Name == "key").Required);
    }

    [Theory]
    [InlineData("update", "table=t", "key")]
    [InlineData("delete", "table=t", "key")]
    [InlineData("create", "table=t;on_conflict=upsert", "key")]
    [InlineData("create", "", "table")]
    [InlineData("query", "", "sql")]
    [InlineData("query", "sql=select 1;table=t", "sql")]
    public void Validate_IncompleteActivity_ReportsProblem(string kind, string activity, string setting)
    {
        var settings = new Settings(activity.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => (object?)p[1]));

        var problems = new SqliteConnector().Validate(ActivityKinds.All.Single(k => k.Name == kind), Contexts.Settings(("database", "/x.db")), settings).ToList();

        Assert.Equal(setting, Assert.Single(problems).Setting);
    }

    [Theory]
    [InlineData("query", "table=t")]
    [InlineData("create", "table=t;on_conflict=upsert;key=email")]
    [InlineData("update", "table=t;key=email")]
    public void Validate_CompleteActivity_ReportsNothing(string kind, string activity)
    {
        var settings = new Settings(activity.Split(';').Select(p => p.Split('=')).ToDictionary(p => p[0], p => (object?)p[1]));

        Assert.Empty(new SqliteConnector().Validate(ActivityKinds.All.Single(k => k.Name == kind), Contexts.Settings(("database", "/x.db")), settings));
    }

    [Fact]
    public async Task TestAsync_ExistingDatabase_Opens()
    {
        var path = _folder.File("w.db");
        Execute(path, "CREATE TABLE t (a)");

        var result = await new SqliteConnector().TestAsync(Contexts.Connection(Connection(path)), CancellationToken.None);

        Assert.True(result.Success, result.Message);
        Assert.StartsWith($"opened: {path} (", result.Message, StringComparison.Ordinal);
        Assert.EndsWith("1 tables)", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestAsync_MissingDatabaseForTarget_WillBeCreatedWithoutCreatingIt()
    {
        var path = _folder.File("new/w.db");

        var result = await new SqliteConnector().TestAsync(Contexts.Activity(ActivityKind.Create, Connection(path)), CancellationToken.None);

        Assert.True(result.Success);
        Assert.Equal($"will be created at {path}", result.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public async Task TestAsync_MissingDatabaseForQuery_Fails()
    {
        var path = _folder.File("w.db");

        var result = await new SqliteConnector().TestAsync(Contexts.Activity(ActivityKind.Query, Connection(path)), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal($"cannot open {path}: the database file does not exist", result.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void ReadResource_NamesTheDatabaseAsWriteResourceDoes_SoADryRunKnowsAQueryReadsWhatACreateWrites()
    {
        var connector = new SqliteConnector();
        var path = _folder.File("w.db");
        var samePath = Path.Combine(_folder.Path, "sub", "..", "w.db");

        var reads = connector.ReadResource(Contexts.Settings(("database", samePath)), Contexts.Settings(("sql", "select 1")));

        Assert.Equal(connector.WriteResource(ActivityKind.Create, Contexts.Settings(("database", path)), Contexts.Settings(("table", "t"))), reads);
        Assert.NotEqual(connector.WriteResource(ActivityKind.Create, Contexts.Settings(("database", _folder.File("other.db"))), Contexts.Settings(("table", "t"))), reads);
    }
}
