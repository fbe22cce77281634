using System.Net.Sockets;
using Npgsql;
using Quartz;
using Xunit;

namespace EtlRunner.Testing;

/// <summary>
/// A test that needs PostgreSQL: the throw-away cluster <c>.ci/postgres.sh</c> starts (CI does, in <c>.ci/run</c>)
/// and names in <c>ETL_TEST_POSTGRES</c>. Only when there is none that answers is the test skipped, and the skip says
/// why and how to start one (<c>.ci/run</c> also prints why its cluster did not start).
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.Unavailable() is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>The PostgreSQL cluster of the tests (see <see cref="PostgresFactAttribute"/>).</summary>
public static class PostgresServer
{
    public const string Variable = "ETL_TEST_POSTGRES";

    /// <summary>The Npgsql connection string of the cluster.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) ?? throw new InvalidOperationException($"{Variable} is not set: start a cluster with `source .ci/postgres.sh && postgres_start` (see docs/agents.md)");

    /// <summary>Why no cluster can be used, or null when one answers on its port.</summary>
    public static string? Unavailable()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } text)
        {
            return $"PostgreSQL is not running for the tests: {Variable} is not set. Start a cluster with `source .ci/postgres.sh && postgres_start` (CI does).";
        }

        var parts = text.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var host = parts.GetValueOrDefault("Host", "127.0.0.1");
        var port = int.TryParse(parts.GetValueOrDefault("Port", "5432"), out var p) ? p : 5432;
        try
        {
            using var client = new TcpClient();
            client.Connect(host, port);
            return null;
        }
        catch (SocketException ex)
        {
            return $"PostgreSQL named by {Variable} does not answer on {host}:{port} ({ex.SocketErrorCode}). Start a cluster with `source .ci/postgres.sh && postgres_start`.";
        }
    }

    /// <summary>
    /// The rows of a query on the cluster, each as its column values (null for SQL NULL); a single row <c>[0]</c> while
    /// the table it reads does not exist yet (the agents create their tables when they start).
    /// </summary>
    public static List<object?[]> Rows(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        try
        {
            using var reader = command.ExecuteReader();
            return SqliteFile.ReadAll(reader);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return [[0L]];
        }
    }

    /// <summary>
    /// A clustered Quartz scheduler on the cluster, as the agent <paramref name="agent"/> of an agent group runs it
    /// (scheduler name from <paramref name="schedulerName"/>), checking in every second; not started.
    /// </summary>
    public static Task<IScheduler> ClusteredSchedulerAsync(string schedulerName, string agent) =>
        QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = schedulerName;
                o.InstanceId = agent;
            });
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(ConnectionString);
                store.ProvisionSchema();
                store.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(1));
            });
        }).BuildScheduler().AsTask();
}
