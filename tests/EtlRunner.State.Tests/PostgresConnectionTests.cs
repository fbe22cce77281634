using Npgsql;

namespace EtlRunner.State.Tests;

/// <summary>The <c>--cluster</c> connection: both forms parsed, the password never shown, the sessions' timeouts set.</summary>
public sealed class PostgresConnectionTests
{
    [Fact]
    public void Parse_Url_GivesTheConnectionWithTheSessionTimeoutsAndDescribesItWithoutThePassword()
    {
        var connection = PostgresConnection.Parse("postgres://etl:p%40ss@db.internal:5433/warehouse");

        Assert.Equal(("db.internal", 5433, "etl", "p@ss", "warehouse"), (connection.Host, connection.Port, connection.Username, connection.Password, connection.Database));
        Assert.Equal("-c idle_in_transaction_session_timeout=10000 -c lock_timeout=5000", connection.Options);
        Assert.Equal("postgres://etl@db.internal:5433/warehouse", PostgresConnection.Describe(connection));
    }

    [Fact]
    public void Parse_ConnectionString_KeepsItsKeys()
    {
        var connection = PostgresConnection.Parse("Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres");

        Assert.Equal(("127.0.0.1", 54329, "postgres", "postgres"), (connection.Host, connection.Port, connection.Username, connection.Database));
    }

    [Fact]
    public void Parse_Malformed_SaysBothFormsWithoutThePassword()
    {
        var refused = Assert.Throws<ArgumentException>(() => PostgresConnection.Parse("Hots=db;Password=s3cret"));

        Assert.StartsWith("--cluster takes an Npgsql connection string (Host=127.0.0.1;Port=5432;Username=etl;Database=etl) or a URL (postgres://etl@127.0.0.1:5432/etl)", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", refused.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void Sessions_OfTheGroup_EndAFrozenTransactionAndAStuckLockWait()
    {
        using var source = NpgsqlDataSource.Create(PostgresConnection.Parse(PostgresServer.ConnectionString));
        using var connection = source.OpenConnection();

        string Show(string setting)
        {
            using var command = new NpgsqlCommand("SHOW " + setting, connection);
            return (string)command.ExecuteScalar()!;
        }

        Assert.Equal(("10s", "5s"), (Show("idle_in_transaction_session_timeout"), Show("lock_timeout")));
    }
}
