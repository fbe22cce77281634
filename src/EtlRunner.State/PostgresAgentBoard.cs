using EtlRunner.Scheduling;
using Npgsql;

namespace EtlRunner.State;

/// <summary>
/// An agent group's <see cref="IAgentBoard"/> in PostgreSQL. The agents are Quartz's own check-ins
/// (<c>qrtz_scheduler_state</c>: instance id, last check-in, interval), read for the group's scheduler name; each
/// agent puts the operations it runs, with their counts, in <c>etl_agent_progress</c> (one row per agent and fire,
/// replaced at each check-in); a fire's lease token and attempt come from the group's lease table.
/// </summary>
public sealed class PostgresAgentBoard : IAgentBoard, IAsyncDisposable
{

    /// <summary>A check-in older than this many check-in intervals is a dead agent's (Quartz's own threshold is about 1.5).</summary>
    private const int IntervalsAlive = 3;

    /// <summary>Rows of etl_agent_progress older than this are a dead agent's, not shown.</summary>
    private static readonly TimeSpan ProgressAliveFor = TimeSpan.FromSeconds(10);

    private const string Schema = """
        SELECT pg_advisory_xact_lock(hashtext('etl_agent_progress'));
        CREATE TABLE IF NOT EXISTS etl_agent_progress (
            agent_group text NOT NULL, agent text NOT NULL, pipeline text NOT NULL, schedule text NOT NULL, fire_time timestamptz NOT NULL,
            operation text, read bigint NOT NULL, filtered bigint NOT NULL, written bigint NOT NULL, skipped bigint NOT NULL, rejected bigint NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (agent_group, agent, pipeline, schedule, fire_time));
        """;

    private readonly NpgsqlDataSource _source;
    private readonly string _group;
    private readonly Lazy<Task> _schema;

    /// <param name="connectionString">An Npgsql connection string to the group's database.</param>
    /// <param name="group">The group: Quartz's scheduler name for its agents.</param>
    public PostgresAgentBoard(string connectionString, string group)
    {
        _source = NpgsqlDataSource.Create(connectionString);
        _group = group;
        _schema = new Lazy<Task>(CreateSchemaAsync);
    }

    public void Publish(AgentView agent, IReadOnlyList<RunningOperation> running)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(running);
        _schema.Value.GetAwaiter().GetResult();
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var clear = new NpgsqlCommand("DELETE FROM etl_agent_progress WHERE agent_group = @group AND agent = @agent", connection, transaction))
        {
            clear.Parameters.AddWithValue("group", _group);
            clear.Parameters.AddWithValue("agent", agent.Name);
            clear.ExecuteNonQuery();
        }

        foreach (var r in running)
        {
            using var insert = new NpgsqlCommand("""
                INSERT INTO etl_agent_progress (agent_group, agent, pipeline, schedule, fire_time, operation, read, filtered, written, skipped, rejected, updated_at)
                VALUES (@group, @agent, @pipeline, @schedule, @fire, @operation, @read, @filtered, @written, @skipped, @rejected, @updated)
                ON CONFLICT DO NOTHING
                """, connection, transaction);
            insert.Parameters.AddWithValue("group", _group);
            insert.Parameters.AddWithValue("agent", agent.Name);
            insert.Parameters.AddWithValue("pipeline", r.Pipeline);
            insert.Parameters.AddWithValue("schedule", r.Schedule);
            insert.Parameters.AddWithValue("fire", r.FireTime.ToUniversalTime());
            insert.Parameters.AddWithValue("operation", (object?)r.Operation ?? DBNull.Value);
            insert.Parameters.AddWithValue("read", r.Read);
            insert.Parameters.AddWithValue("filtered", r.Filtered);
            insert.Parameters.AddWithValue("written", r.Written);
            insert.Parameters.AddWithValue("skipped", r.Skipped);
            insert.Parameters.AddWithValue("rejected", r.Rejected);
            insert.Parameters.AddWithValue("updated", r.UpdatedAt.ToUniversalTime());
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public (IReadOnlyList<AgentView> Agents, IReadOnlyList<RunningOperation> Running) Read(DateTimeOffset now)
    {
        _schema.Value.GetAwaiter().GetResult();
        using var connection = _source.OpenConnection();
        var agents = new List<AgentView>();
        if (Exists(connection, "qrtz_scheduler_state"))
        {
            using var command = new NpgsqlCommand("SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state WHERE sched_name = @scheduler ORDER BY instance_name", connection);
            command.Parameters.AddWithValue("scheduler", PostgresSchema.SchedulerName(_group));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var checkIn = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero); // Quartz.NET stores UTC ticks
                agents.Add(new AgentView(reader.GetString(0), _group, checkIn, now - checkIn < TimeSpan.FromMilliseconds(reader.GetInt64(2) * IntervalsAlive)));
            }
        }

        if (agents.Count > 0 && Exists(connection, PostgresSchema.Skips))
        {
            var skipped = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            using var command = new NpgsqlCommand("SELECT agent, pipeline, reason FROM etl_agent_skips WHERE agent_group = @group ORDER BY agent, pipeline", connection);
            command.Parameters.AddWithValue("group", _group);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                (skipped.TryGetValue(reader.GetString(0), out var list) ? list : skipped[reader.GetString(0)] = []).Add($"{reader.GetString(1)}: {reader.GetString(2)}");
            }

            agents = [.. agents.Select(a => skipped.TryGetValue(a.Name, out var list) ? a with { Skipped = list } : a)];
        }

        var running = new List<RunningOperation>();
        using (var command = new NpgsqlCommand(RunningQuery(Exists(connection, PostgresSchema.Leases)), connection))
        {
            command.Parameters.AddWithValue("group", _group);
            command.Parameters.AddWithValue("since", (now - ProgressAliveFor).ToUniversalTime());
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                running.Add(new RunningOperation(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetFieldValue<DateTimeOffset>(10))
                {
                    LeaseToken = reader.IsDBNull(11) ? null : reader.GetInt64(11),
                    Attempt = reader.IsDBNull(12) ? null : reader.GetInt32(12),
                });
            }
        }

        return (agents, running);
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    /// <summary>
    /// The running operations with their lease's token and attempt (how many agents took the fire's lease, this one included);
    /// a lease's fire time is ISO 8601 text (<see cref="Scheduling.ScheduleFire.FireTimeText"/>).
    /// </summary>
    private static string RunningQuery(bool withLeases) => withLeases
        ? $"""
            SELECT p.agent, p.pipeline, p.schedule, p.fire_time, p.operation, p.read, p.filtered, p.written, p.skipped, p.rejected, p.updated_at,
                   l.token, (SELECT count(*) FROM {PostgresSchema.Attempts} a WHERE a.pipeline = l.pipeline AND a.schedule = l.schedule AND a.fire_time = l.fire_time)::int
            FROM etl_agent_progress p LEFT JOIN {PostgresSchema.Leases} l ON l.pipeline = p.pipeline AND l.schedule = p.schedule
                AND l.fire_time = to_char(p.fire_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            WHERE p.agent_group = @group AND p.updated_at >= @since ORDER BY p.fire_time, p.pipeline, p.agent
            """
        : """
            SELECT agent, pipeline, schedule, fire_time, operation, read, filtered, written, skipped, rejected, updated_at, NULL::bigint, NULL::int
            FROM etl_agent_progress WHERE agent_group = @group AND updated_at >= @since ORDER BY fire_time, pipeline, agent
            """;

    private static bool Exists(NpgsqlConnection connection, string table)
    {
        using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        command.Parameters.AddWithValue("table", table);
        return command.ExecuteScalar() is true;
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = await _source.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(Schema, connection, transaction))
        {
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }
}
