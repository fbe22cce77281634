using System.Globalization;
using EtlRunner.Connectors;
using Microsoft.Data.Sqlite;

namespace EtlRunner.State;

/// <summary>
/// The state database (<c>.etl/state.db</c>): runs and operations, watermarks, the write ledger and connector
/// state, in one SQLite file readable by its owner only. Thread-safe: one connection behind a lock.
/// </summary>
public sealed partial class SqliteStateStore : IStateStore
{
    public const string FileName = "state.db";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    // The ledger's per-batch statements, prepared once (ExecutePrepared); disposed with the connection.
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    /// <summary>Opens (or creates) the state database of a folder.</summary>
    /// <exception cref="StateDatabaseException">The file is not a readable state database (garbage, truncated).</exception>
    public SqliteStateStore(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        Path = System.IO.Path.Combine(stateDirectory, FileName);
        CreateOwnerOnly(Path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        try
        {
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
            var version = long.Parse(Scalar("SELECT CAST(user_version AS TEXT) FROM pragma_user_version") ?? "0", CultureInfo.InvariantCulture);
            if (version != SchemaVersion)
            {
                // A file this version wrote is current: opening it reads one pragma and writes nothing, which a
                // pipeline run from cron every few minutes pays on every call.
                Migrate(version);
                Execute(Schema);
                Execute($"PRAGMA user_version = {SchemaVersion}");
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt)
        {
            _connection.Dispose();
            throw StateDatabaseException.Unreadable(Path, ex.Message);
        }
    }

    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    public string Path { get; }

    /// <summary>The version of <see cref="Schema"/>, kept in the file's user_version.</summary>
    private const int SchemaVersion = 5;

    /// <summary>Brings a state file written by an older version up to date; history, marks and tokens are kept.</summary>
    private void Migrate(long version)
    {
        if (version < 2)
        {
            // Version 1 kept the ledger per record. A ledger only matters between an interrupted run and its
            // resumption, so the old one is dropped rather than converted.
            Execute("DROP TABLE IF EXISTS ledger");
        }

        if (version < 3 && Scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'runs'") is not null)
        {
            // Version 3 resumes interrupted runs. Runs recorded before it are not resumable (resumable = 0).
            Execute("""
                ALTER TABLE runs ADD COLUMN selection TEXT; ALTER TABLE runs ADD COLUMN resumable INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE runs ADD COLUMN operation TEXT; ALTER TABLE runs ADD COLUMN operation_start TEXT;
                ALTER TABLE operations ADD COLUMN globals TEXT;
                """);
        }

        if (version < 4 && Scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'runs'") is not null)
        {
            // Version 4 records the schedule fire an agent started a run for.
            Execute("ALTER TABLE runs ADD COLUMN schedule TEXT; ALTER TABLE runs ADD COLUMN fire_time TEXT;");
        }

        if (version < 5 && Scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'operations'") is not null)
        {
            // Version 5 records what the target did with the written records; operations recorded before it read as unknown (NULL).
            Execute("ALTER TABLE operations ADD COLUMN created INTEGER; ALTER TABLE operations ADD COLUMN updated INTEGER; "
                + "ALTER TABLE operations ADD COLUMN deleted INTEGER; ALTER TABLE operations ADD COLUMN unchanged INTEGER;");
        }

        if (version == 2 && Scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'ledger'") is not null)
        {
            // Version 3 also keeps, per ledger entry, how long the rejects file and an append target were.
            Execute("ALTER TABLE ledger ADD COLUMN rejects_length INTEGER NOT NULL DEFAULT 0; ALTER TABLE ledger ADD COLUMN target_length INTEGER;");
        }
    }

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, pipeline TEXT NOT NULL, project TEXT NOT NULL, environment TEXT NOT NULL,
            start_time TEXT NOT NULL, end_time TEXT, status TEXT NOT NULL DEFAULT 'running', selection TEXT, resumable INTEGER NOT NULL DEFAULT 0,
            operation TEXT, operation_start TEXT, schedule TEXT, fire_time TEXT);
        CREATE TABLE IF NOT EXISTS operations (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, pipeline TEXT NOT NULL, project TEXT NOT NULL,
            environment TEXT NOT NULL, operation TEXT NOT NULL, start_time TEXT NOT NULL, end_time TEXT NOT NULL, status TEXT NOT NULL,
            read INTEGER NOT NULL, filtered INTEGER NOT NULL, written INTEGER NOT NULL, skipped INTEGER NOT NULL, rejected INTEGER NOT NULL,
            error TEXT, rejects_file TEXT, globals TEXT, created INTEGER, updated INTEGER, deleted INTEGER, unchanged INTEGER);
        CREATE INDEX IF NOT EXISTS operations_by_pipeline ON operations (pipeline, operation, id);
        CREATE TABLE IF NOT EXISTS watermarks (pipeline TEXT NOT NULL, operation TEXT NOT NULL, value TEXT NOT NULL, run_id TEXT NOT NULL,
            PRIMARY KEY (pipeline, operation));
        CREATE TABLE IF NOT EXISTS connector_state (pipeline TEXT NOT NULL, connection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (pipeline, connection, key));
        CREATE TABLE IF NOT EXISTS ledger (pipeline TEXT NOT NULL, operation TEXT NOT NULL, sequence INTEGER NOT NULL, hash TEXT NOT NULL,
            state INTEGER NOT NULL, run_id TEXT NOT NULL, rejects_length INTEGER NOT NULL DEFAULT 0, target_length INTEGER,
            PRIMARY KEY (pipeline, operation, sequence)) WITHOUT ROWID;
        """;

    public void RunStarted(RunEntry run) => Execute(
        """
        INSERT OR REPLACE INTO runs (run_id, pipeline, project, environment, start_time, selection, resumable, schedule, fire_time)
        VALUES ($id, $pipeline, $project, $environment, $start, $selection, $resumable, $schedule, $fire)
        """,
        ("$id", run.RunId), ("$pipeline", run.Pipeline), ("$project", run.Project), ("$environment", run.Environment), ("$start", Time(run.Start)),
        ("$selection", run.Selection), ("$resumable", run.Resumable ? 1 : 0), ("$schedule", run.Schedule?.Name), ("$fire", run.Schedule?.FireTimeText));

    public void RunFinished(string runId, string status, DateTimeOffset end) => Execute(
        "UPDATE runs SET status = $status, end_time = $end WHERE run_id = $id", ("$id", runId), ("$status", status), ("$end", Time(end)));

    public void OperationStarted(string runId, string operation, DateTimeOffset start) => Execute(
        "UPDATE runs SET operation = $operation, operation_start = $start WHERE run_id = $id", ("$id", runId), ("$operation", operation), ("$start", Time(start)));

    public void OperationFinished(OperationEntry operation, OperationCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(completion);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            InsertOperation(operation, completion.Globals);
            if (completion.Watermark is { } mark)
            {
                SetWatermark(operation.Pipeline, operation.Operation, mark, operation.RunId);
            }

            if (completion.ClearLedger)
            {
                ClearLedger(operation.Pipeline, operation.Operation);
            }

            transaction.Commit();
        }
    }

    private void InsertOperation(OperationEntry o, string? globals) => Execute(
        """
        INSERT INTO operations (run_id, pipeline, project, environment, operation, start_time, end_time, status, read, filtered, written, skipped, rejected, error, rejects_file, globals,
            created, updated, deleted, unchanged)
        VALUES ($run, $pipeline, $project, $environment, $operation, $start, $end, $status, $read, $filtered, $written, $skipped, $rejected, $error, $rejects, $globals,
            $created, $updated, $deleted, $unchanged)
        """,
        ("$run", o.RunId), ("$pipeline", o.Pipeline), ("$project", o.Project), ("$environment", o.Environment), ("$operation", o.Operation),
        ("$start", Time(o.Start)), ("$end", Time(o.End)), ("$status", o.Status), ("$read", o.Read), ("$filtered", o.Filtered), ("$written", o.Written),
        ("$skipped", o.Skipped), ("$rejected", o.Rejected), ("$error", o.Error), ("$rejects", o.RejectsFile), ("$globals", globals),
        ("$created", o.Created), ("$updated", o.Updated), ("$deleted", o.Deleted), ("$unchanged", o.Unchanged));

    public InterruptedRun? FindInterrupted(string pipeline)
    {
        lock (_gate)
        {
            using var command = Command(
                """
                SELECT run_id, start_time, status, end_time, operation, operation_start, selection, project, environment, schedule, fire_time FROM runs
                WHERE pipeline = $p AND resumable = 1 ORDER BY rowid DESC LIMIT 1
                """,
                [("$p", pipeline)]);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            var (runId, status) = (reader.GetString(0), reader.GetString(2));
            var finished = Operations("run_id = $run AND status NOT IN ('cancelled', 'abandoned') ORDER BY id", [("$run", runId)]);
            var interrupted = status is "running" or "cancelled" || (status == "refused" && finished.Count > 0);
            return interrupted
                ? new InterruptedRun(
                    runId, ParseTime(reader.GetString(1)), status, reader.IsDBNull(3) ? null : ParseTime(reader.GetString(3)),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : ParseTime(reader.GetString(5)),
                    reader.IsDBNull(6) ? null : reader.GetString(6), finished)
                {
                    Project = reader.GetString(7),
                    Environment = reader.GetString(8),
                    Schedule = reader.IsDBNull(9) || reader.IsDBNull(10) ? null : new Scheduling.ScheduleFire(reader.GetString(9), Scheduling.ScheduleFire.Parse(reader.GetString(10))),
                }
                : null;
        }
    }

    public void AbandonRun(InterruptedRun run, string reason, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            var pipeline = Scalar("SELECT pipeline FROM runs WHERE run_id = $id", ("$id", run.RunId)) ?? string.Empty;
            if (run.Operation is { } operation)
            {
                InsertOperation(new OperationEntry(run.RunId, pipeline, run.Project, run.Environment, operation, run.OperationStart ?? run.Start, end,
                    "abandoned", 0, 0, 0, 0, 0, reason, null), globals: null);
            }

            RunFinished(run.RunId, "abandoned", end);
            transaction.Commit();
        }
    }

    public bool HasHistory(string pipeline) => Scalar("SELECT run_id FROM runs WHERE pipeline = $p LIMIT 1", ("$p", pipeline)) is not null;

    public IReadOnlyList<OperationEntry> History(string? pipeline, string? operation, int limit)
    {
        lock (_gate)
        {
            return Operations(
                "($pipeline IS NULL OR pipeline = $pipeline) AND ($operation IS NULL OR operation = $operation) ORDER BY id DESC LIMIT $limit",
                [("$pipeline", pipeline), ("$operation", operation), ("$limit", limit)]);
        }
    }

    private List<OperationEntry> Operations(string where, (string Name, object? Value)[] parameters)
    {
        using var command = Command(
            """
            SELECT run_id, pipeline, project, environment, operation, start_time, end_time, status, read, filtered, written, skipped, rejected, error, rejects_file, globals,
                (SELECT schedule FROM runs r WHERE r.run_id = operations.run_id), (SELECT fire_time FROM runs r WHERE r.run_id = operations.run_id),
                created, updated, deleted, unchanged
            FROM operations WHERE
            """ + " " + where,
            parameters);
        using var reader = command.ExecuteReader();
        var result = new List<OperationEntry>();
        while (reader.Read())
        {
            result.Add(new OperationEntry(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                ParseTime(reader.GetString(5)), ParseTime(reader.GetString(6)), reader.GetString(7),
                reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12),
                reader.IsDBNull(13) ? null : reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetString(14))
            {
                Globals = reader.IsDBNull(15) ? null : reader.GetString(15),
                Schedule = reader.IsDBNull(16) || reader.IsDBNull(17) ? null : new Scheduling.ScheduleFire(reader.GetString(16), Scheduling.ScheduleFire.Parse(reader.GetString(17))),
                Created = reader.IsDBNull(18) ? null : reader.GetInt64(18),
                Updated = reader.IsDBNull(19) ? null : reader.GetInt64(19),
                Deleted = reader.IsDBNull(20) ? null : reader.GetInt64(20),
                Unchanged = reader.IsDBNull(21) ? null : reader.GetInt64(21),
            });
        }

        return result;
    }

    public string? GetWatermark(string pipeline, string operation) =>
        Scalar("SELECT value FROM watermarks WHERE pipeline = $p AND operation = $o", ("$p", pipeline), ("$o", operation));

    public void SetWatermark(string pipeline, string operation, string value, string runId) => Execute(
        "INSERT OR REPLACE INTO watermarks (pipeline, operation, value, run_id) VALUES ($p, $o, $v, $r)",
        ("$p", pipeline), ("$o", operation), ("$v", value), ("$r", runId));

    public bool ClearWatermark(string pipeline, string operation) =>
        Execute("DELETE FROM watermarks WHERE pipeline = $p AND operation = $o", ("$p", pipeline), ("$o", operation)) > 0;

    public IConnectorState ConnectorState(string pipeline, string connection) => new StoredConnectorState(this, pipeline, connection);

    public IWriteLedger Ledger(string pipeline, string operation) => new StoredLedger(this, pipeline, operation);

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var command in _prepared.Values)
            {
                command.Dispose();
            }

            _prepared.Clear();
            _connection.Dispose();
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static void CreateOwnerOnly(string path)
    {
        if (File.Exists(path) || OperatingSystem.IsWindows())
        {
            return;
        }

        using var _ = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }
}
