using EtlRunner.Testing;
using Npgsql;

namespace EtlRunner.Cli.Tests;

/// <summary>The PostgreSQL cluster CI starts for the agent groups' tests is there and takes the sessions they need.</summary>
public sealed class PostgresTests
{
    [PostgresFact]
    public async Task Cluster_StartedForTheTests_RunsTransactionsOnLoopback()
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("CREATE TEMP TABLE t (n int); INSERT INTO t VALUES (1), (2); SELECT sum(n) FROM t", connection, transaction);

        var sum = await command.ExecuteScalarAsync();

        Assert.Equal(3L, Convert.ToInt64(sum, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("127.0.0.1", connection.Host);
    }
}
