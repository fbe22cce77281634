using System.Collections.Concurrent;
using EtlRunner.Connectors;
using Npgsql;

namespace EtlRunner.State;

/// <summary>
/// The run state of an agent group in PostgreSQL (<see cref="PostgresSchema"/>; the store creates its tables):
/// runs and operations, watermarks, the write ledger and connector state, shared by every agent of the group. Given
/// a <see cref="RunLease"/>, every write carries its fencing token in the same transaction and is refused with
/// <see cref="LeaseLostException"/> once another agent holds the lease; recording a batch as pending is refused too
/// when the lease is near its end, so a frozen agent sends no further batch. Thread-safe: a pooled connection per call.
/// </summary>
public sealed partial class PostgresStateStore : IStateStore
{
    private static readonly ConcurrentDictionary<string, bool> Created = new(StringComparer.Ordinal);

    private readonly NpgsqlDataSource _source;
    private readonly RunLease? _lease;
    private readonly bool _ownsSource;

    /// <summary>A store on <paramref name="source"/> (not disposed with it), fenced by <paramref name="lease"/> when given.</summary>
    public PostgresStateStore(NpgsqlDataSource source, RunLease? lease = null)
        : this(source, lease, ownsSource: false)
    {
    }

    private PostgresStateStore(NpgsqlDataSource source, RunLease? lease, bool ownsSource)
    {
        (_source, _lease, _ownsSource) = (source, lease, ownsSource);
        CreateSchema(source);
        var where = PostgresConnection.Describe(new NpgsqlConnectionStringBuilder(source.ConnectionString));
        Location = "PostgreSQL at " + where;
        Rejects = new PostgresRejects(this, where);
    }

    /// <summary>A store of its own on <paramref name="connection"/> (see <see cref="PostgresConnection.Parse"/>), unfenced: for commands such as <c>etl history</c>.</summary>
    public static PostgresStateStore Open(NpgsqlConnectionStringBuilder connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new PostgresStateStore(NpgsqlDataSource.Create(connection), lease: null, ownsSource: true);
    }

    /// <summary>Creates the tables of <see cref="PostgresSchema"/> that are missing, once per process and database.</summary>
    public static void CreateSchema(NpgsqlDataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Created.ContainsKey(source.ConnectionString))
        {
            return;
        }

        using var connection = source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        PostgresSql.Execute(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext('etl-schema'))");
        PostgresSql.Execute(connection, transaction, PostgresSchema.Ddl);
        transaction.Commit();
        Created[source.ConnectionString] = true;
    }

    /// <summary>True: the lease (or, unfenced, nothing) refuses concurrent runs; the engine takes no run lock file.</summary>
    public bool LocksRuns => true;

    public void RunStarted(RunEntry run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Write(false, (c, t) =>
        {
            Execute(c, t,
                """
                INSERT INTO etl_runs (run_id, pipeline, project, environment, start_time, selection, resumable, schedule, fire_time, agent)
                VALUES (@id, @pipeline, @project, @environment, @start, @selection, @resumable, @schedule, @fire, @agent)
                ON CONFLICT (run_id) DO UPDATE SET status = 'running', end_time = NULL, agent = EXCLUDED.agent
                """,
                ("id", run.RunId), ("pipeline", run.Pipeline), ("project", run.Project), ("environment", run.Environment), ("start", run.Start),
                ("selection", run.Selection), ("resumable", run.Resumable), ("schedule", run.Schedule?.Name), ("fire", run.Schedule?.FireTimeText), ("agent", _lease?.Owner));
            _lease?.Attach(c, t, run.RunId);
        });
    }

    public void RunFinished(string runId, string status, DateTimeOffset end) => Write(false, (c, t) => Execute(c, t,
        "UPDATE etl_runs SET status = @status, end_time = @end WHERE run_id = @id", ("id", runId), ("status", status), ("end", end)));

    public void OperationStarted(string runId, string operation, DateTimeOffset start) => Write(false, (c, t) => Execute(c, t,
        "UPDATE etl_runs SET operation = @operation, operation_start = @start WHERE run_id = @id", ("id", runId), ("operation", operation), ("start", start)));

    public void OperationFinished(OperationEntry operation, OperationCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(completion);
        Write(false, (c, t) =>
        {
            InsertOperation(c, t, operation, completion.Globals);
            if (completion.Watermark is { } mark)
            {
                UpsertWatermark(c, t, operation.Pipeline, operation.Operation, mark, operation.RunId);
            }

            if (completion.ClearLedger)
            {
                Execute(c, t, "DELETE FROM etl_ledger WHERE pipeline = @p AND operation = @o", ("p", operation.Pipeline), ("o", operation.Operation));
            }
        });
    }

    private static void InsertOperation(NpgsqlConnection c, NpgsqlTransaction t, OperationEntry o, string? globals) => Execute(c, t,
        """
        INSERT INTO etl_operations (run_id, pipeline, project, environment, operation, start_time, end_time, status, read, filtered, written, skipped, rejected, error, rejects_file, globals, created, updated, deleted, unchanged)
        VALUES (@run, @pipeline, @project, @environment, @operation, @start, @end, @status, @read, @filtered, @written, @skipped, @rejected, @error, @rejects, @globals, @created, @updated, @deleted, @unchanged)
        """,
        ("run", o.RunId), ("pipeline", o.Pipeline), ("project", o.Project), ("environment", o.Environment), ("operation", o.Operation),
        ("start", o.Start), ("end", o.End), ("status", o.Status), ("read", o.Read), ("filtered", o.Filtered), ("written", o.Written),
        ("skipped", o.Skipped), ("rejected", o.Rejected), ("error", o.Error), ("rejects", o.RejectsFile), ("globals", globals),
        ("created", o.Created), ("updated", o.Updated), ("deleted", o.Deleted), ("unchanged", o.Unchanged));

    public InterruptedRun? FindInterrupted(string pipeline) => Read(c =>
    {
        string runId, status, project, environment;
        DateTimeOffset start;
        DateTimeOffset? end, operationStart;
        string? operation, selection, schedule, fire;
        using (var reader = PostgresSql.Command(c, null,
            """
            SELECT run_id, start_time, status, end_time, operation, operation_start, selection, project, environment, schedule, fire_time FROM etl_runs
            WHERE pipeline = @p AND resumable ORDER BY seq DESC LIMIT 1
            """, ("p", pipeline)).ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            (runId, start, status, end) = (reader.GetString(0), Time(reader, 1), reader.GetString(2), NullableTime(reader, 3));
            (operation, operationStart, selection) = (Text(reader, 4), NullableTime(reader, 5), Text(reader, 6));
            (project, environment, schedule, fire) = (reader.GetString(7), reader.GetString(8), Text(reader, 9), Text(reader, 10));
        }

        var finished = Operations(c, "run_id = @run AND status NOT IN ('cancelled', 'abandoned') ORDER BY id", ("run", runId));
        var interrupted = status is "running" or "cancelled" || (status == "refused" && finished.Count > 0);
        return interrupted
            ? new InterruptedRun(runId, start, status, end, operation, operationStart, selection, finished)
            {
                Project = project,
                Environment = environment,
                Schedule = schedule is null || fire is null ? null : new Scheduling.ScheduleFire(schedule, Scheduling.ScheduleFire.Parse(fire)),
            }
            : null;
    });

    public void AbandonRun(InterruptedRun run, string reason, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(run);
        Write(false, (c, t) =>
        {
            var pipeline = (string?)PostgresSql.Command(c, t, "SELECT pipeline FROM etl_runs WHERE run_id = @id", ("id", run.RunId)).ExecuteScalar() ?? string.Empty;
            if (run.Operation is { } operation)
            {
                InsertOperation(c, t, new OperationEntry(run.RunId, pipeline, run.Project, run.Environment, operation, run.OperationStart ?? run.Start, end,
                    "abandoned", 0, 0, 0, 0, 0, reason, null), globals: null);
            }

            Execute(c, t, "UPDATE etl_runs SET status = 'abandoned', end_time = @end WHERE run_id = @id", ("id", run.RunId), ("end", end));
        });
    }

    public bool HasHistory(string pipeline) => Read(c => PostgresSql.Command(c, null, "SELECT 1 FROM etl_runs WHERE pipeline = @p LIMIT 1", ("p", pipeline)).ExecuteScalar() is not null);

    public IReadOnlyList<OperationEntry> History(string? pipeline, string? operation, int limit) => Read(c => Operations(c,
        "(@pipeline::text IS NULL OR pipeline = @pipeline) AND (@operation::text IS NULL OR operation = @operation) ORDER BY id DESC LIMIT @limit",
        ("pipeline", pipeline), ("operation", operation), ("limit", limit)));

    private static List<OperationEntry> Operations(NpgsqlConnection c, string where, params (string Name, object? Value)[] parameters)
    {
        using var reader = PostgresSql.Command(c, null,
            """
            SELECT run_id, pipeline, project, environment, operation, start_time, end_time, status, read, filtered, written, skipped, rejected, error, rejects_file, globals, created, updated, deleted, unchanged,
                (SELECT schedule FROM etl_runs r WHERE r.run_id = o.run_id), (SELECT fire_time FROM etl_runs r WHERE r.run_id = o.run_id)
            FROM etl_operations o WHERE
            """ + " " + where,
            parameters).ExecuteReader();
        var result = new List<OperationEntry>();
        while (reader.Read())
        {
            result.Add(new OperationEntry(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                Time(reader, 5), Time(reader, 6), reader.GetString(7),
                reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12), Text(reader, 13), Text(reader, 14))
            {
                Globals = Text(reader, 15),
                Created = Count(reader, 16),
                Updated = Count(reader, 17),
                Deleted = Count(reader, 18),
                Unchanged = Count(reader, 19),
                Schedule = reader.IsDBNull(20) || reader.IsDBNull(21) ? null : new Scheduling.ScheduleFire(reader.GetString(20), Scheduling.ScheduleFire.Parse(reader.GetString(21))),
            });
        }

        return result;
    }

    private static long? Count(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>The attempts of runs (agent, token, start, end, outcome), oldest first: a run recovered by another agent has two or more.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RunAttempt>> Attempts(IEnumerable<string> runIds) => Read(c =>
    {
        using var reader = PostgresSql.Command(c, null,
            "SELECT run_id, agent, token, start_time, end_time, outcome FROM etl_attempts WHERE run_id = ANY(@ids) ORDER BY start_time, token",
            ("ids", runIds.Distinct(StringComparer.Ordinal).ToArray())).ExecuteReader();
        var attempts = new Dictionary<string, List<RunAttempt>>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var runId = reader.GetString(0);
            (attempts.TryGetValue(runId, out var list) ? list : attempts[runId] = []).Add(
                new RunAttempt(reader.GetString(1), reader.GetInt64(2), Time(reader, 3), NullableTime(reader, 4), Text(reader, 5)));
        }

        return (IReadOnlyDictionary<string, IReadOnlyList<RunAttempt>>)attempts.ToDictionary(a => a.Key, a => (IReadOnlyList<RunAttempt>)a.Value, StringComparer.Ordinal);
    });

    public string? GetWatermark(string pipeline, string operation) => Read(c =>
        (string?)PostgresSql.Command(c, null, "SELECT value FROM etl_watermarks WHERE pipeline = @p AND operation = @o", ("p", pipeline), ("o", operation)).ExecuteScalar());

    public void SetWatermark(string pipeline, string operation, string value, string runId) =>
        Write(false, (c, t) => UpsertWatermark(c, t, pipeline, operation, value, runId));

    private static void UpsertWatermark(NpgsqlConnection c, NpgsqlTransaction t, string pipeline, string operation, string value, string runId) => Execute(c, t,
        """
        INSERT INTO etl_watermarks (pipeline, operation, value, run_id) VALUES (@p, @o, @v, @r)
        ON CONFLICT (pipeline, operation) DO UPDATE SET value = EXCLUDED.value, run_id = EXCLUDED.run_id
        """, ("p", pipeline), ("o", operation), ("v", value), ("r", runId));

    public bool ClearWatermark(string pipeline, string operation) =>
        Write(false, (c, t) => Execute(c, t, "DELETE FROM etl_watermarks WHERE pipeline = @p AND operation = @o", ("p", pipeline), ("o", operation))) > 0;

    /// <summary>
    /// Deletes everything the group keeps of a pipeline (<c>etl state reset --cluster ID --all</c>): runs and their
    /// history, watermarks, the write ledger, rotated tokens, leases, attempts and rejects; the number of rows deleted.
    /// </summary>
    public int Forget(string pipeline) => Write(false, (c, t) => new[]
        {
            PostgresSchema.Operations, PostgresSchema.Runs, PostgresSchema.Watermarks, PostgresSchema.Ledger,
            PostgresSchema.ConnectorState, PostgresSchema.Leases, PostgresSchema.Attempts, PostgresSchema.Rejects,
        }.Sum(table => Execute(c, t, $"DELETE FROM {table} WHERE pipeline = @p", ("p", pipeline))));

    /// <summary>The pipeline (its id in the group) and project of a run, or null when the group knows no such run.</summary>
    public (string Pipeline, string Project)? FindRun(string runId) => Read<(string, string)?>(c =>
    {
        using var reader = PostgresSql.Command(c, null, "SELECT pipeline, project FROM etl_runs WHERE run_id = @id", ("id", runId)).ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : null;
    });

    /// <summary>The content hash of the version of <paramref name="pipeline"/> that <paramref name="group"/> runs, or null when it registered none.</summary>
    public string? RegisteredHash(string group, string pipeline) => Read(c => (string?)PostgresSql.Command(c, null,
        "SELECT hash FROM etl_pipelines WHERE agent_group = @g AND pipeline = @p", ("g", group), ("p", pipeline)).ExecuteScalar());

    /// <summary>The number of rejects lines the group keeps for each (run, operation) of <paramref name="runIds"/> that has any.</summary>
    public IReadOnlyDictionary<(string RunId, string Operation), long> RejectCounts(IEnumerable<string> runIds) => Read(c =>
    {
        using var reader = PostgresSql.Command(c, null,
            "SELECT run_id, operation, count(*) FROM etl_rejects WHERE run_id = ANY(@ids) GROUP BY run_id, operation",
            ("ids", runIds.Distinct(StringComparer.Ordinal).ToArray())).ExecuteReader();
        var counts = new Dictionary<(string, string), long>();
        while (reader.Read())
        {
            counts[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }

        return (IReadOnlyDictionary<(string, string), long>)counts;
    });

    public IConnectorState ConnectorState(string pipeline, string connection) => new PostgresConnectorState(this, pipeline, connection);

    public IWriteLedger Ledger(string pipeline, string operation) => new PostgresLedger(this, pipeline, operation);

    /// <summary>The group's rejects (<see cref="PostgresSchema.Rejects"/>): no agent writes a rejects file of its own.</summary>
    public IRejectsStore Rejects { get; }

    public string Location { get; }

    public void Dispose()
    {
        if (_ownsSource)
        {
            _source.Dispose();
        }
    }

    /// <summary>A write in one transaction, fenced by the lease when there is one (<paramref name="sending"/>: a batch is about to be sent).</summary>
    internal int Write(bool sending, Func<NpgsqlConnection, NpgsqlTransaction, int> write)
    {
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        _lease?.Check(connection, transaction, sending);
        var count = write(connection, transaction);
        transaction.Commit();
        return count;
    }

    internal void Write(bool sending, Action<NpgsqlConnection, NpgsqlTransaction> write) => Write(sending, (c, t) =>
    {
        write(c, t);
        return 0;
    });

    internal T Read<T>(Func<NpgsqlConnection, T> read)
    {
        using var connection = _source.OpenConnection();
        return read(connection);
    }

    /// <summary>
    /// Runs <paramref name="work"/> holding the advisory lock of <paramref name="name"/> in a transaction of its own,
    /// released at its end (or by the server's idle timeout, should this agent freeze meanwhile).
    /// </summary>
    internal async Task<T> LockedAsync<T>(string name, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = PostgresSql.Command(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext(@n))", ("n", name)))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var result = await work().ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    internal static int Execute(NpgsqlConnection c, NpgsqlTransaction? t, string sql, params (string Name, object? Value)[] parameters) =>
        PostgresSql.Execute(c, t, sql, parameters);

    private static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

/// <summary>One attempt at a fire: the agent that held its lease, with which token, when, and how it ended (null while it runs).</summary>
public sealed record RunAttempt(string Agent, long Token, DateTimeOffset Start, DateTimeOffset? End, string? Outcome);
