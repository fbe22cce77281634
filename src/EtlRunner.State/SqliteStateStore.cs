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

    public SqliteStateStore(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        Path = System.IO.Path.Combine(stateDirectory, FileName);
        CreateOwnerOnly(Path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        Migrate();
        Execute(Schema);
        Execute($"PRAGMA user_version = {SchemaVersion}");
    }

    public string Path { get; }

    /// <summary>The version of <see cref="Schema"/>, kept in the file's user_version.</summary>
    private const int SchemaVersion = 3;

    /// <summary>Brings a state file written by an older version up to date; history, marks and tokens are kept.</summary>
    private void Migrate()
    {
        var version = long.Parse(Scalar("SELECT CAST(user_version AS TEXT) FROM pragma_user_version") ?? "0", CultureInfo.InvariantCulture);
        if (version < 2)
        {
            // Version 1 kept the ledger per record. A ledger only matters between an interrupted run and its
            // resumption, so the old one is dropped rather than converted.
            Execute("DROP TABLE IF EXISTS ledger");
        }
        else if (version < 3)
        {
            // Version 3 keeps, per ledger entry, how long the rejects file and an append target were.
            Execute("ALTER TABLE ledger ADD COLUMN rejects_length INTEGER NOT NULL DEFAULT 0; ALTER TABLE ledger ADD COLUMN target_length INTEGER;");
        }
    }

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, pipeline TEXT NOT NULL, project TEXT NOT NULL, environment TEXT NOT NULL,
            start_time TEXT NOT NULL, end_time TEXT, status TEXT NOT NULL DEFAULT 'running');
        CREATE TABLE IF NOT EXISTS operations (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, pipeline TEXT NOT NULL, project TEXT NOT NULL,
            environment TEXT NOT NULL, operation TEXT NOT NULL, start_time TEXT NOT NULL, end_time TEXT NOT NULL, status TEXT NOT NULL,
            read INTEGER NOT NULL, filtered INTEGER NOT NULL, written INTEGER NOT NULL, skipped INTEGER NOT NULL, rejected INTEGER NOT NULL,
            error TEXT, rejects_file TEXT);
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
        "INSERT OR REPLACE INTO runs (run_id, pipeline, project, environment, start_time) VALUES ($id, $pipeline, $project, $environment, $start)",
        ("$id", run.RunId), ("$pipeline", run.Pipeline), ("$project", run.Project), ("$environment", run.Environment), ("$start", Time(run.Start)));

    public void RunFinished(string runId, string status, DateTimeOffset end) => Execute(
        "UPDATE runs SET status = $status, end_time = $end WHERE run_id = $id", ("$id", runId), ("$status", status), ("$end", Time(end)));

    public void OperationFinished(OperationEntry o) => Execute(
        """
        INSERT INTO operations (run_id, pipeline, project, environment, operation, start_time, end_time, status, read, filtered, written, skipped, rejected, error, rejects_file)
        VALUES ($run, $pipeline, $project, $environment, $operation, $start, $end, $status, $read, $filtered, $written, $skipped, $rejected, $error, $rejects)
        """,
        ("$run", o.RunId), ("$pipeline", o.Pipeline), ("$project", o.Project), ("$environment", o.Environment), ("$operation", o.Operation),
        ("$start", Time(o.Start)), ("$end", Time(o.End)), ("$status", o.Status), ("$read", o.Read), ("$filtered", o.Filtered), ("$written", o.Written),
        ("$skipped", o.Skipped), ("$rejected", o.Rejected), ("$error", o.Error), ("$rejects", o.RejectsFile));

    public IReadOnlyList<OperationEntry> History(string? pipeline, string? operation, int limit)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT run_id, pipeline, project, environment, operation, start_time, end_time, status, read, filtered, written, skipped, rejected, error, rejects_file
                FROM operations WHERE ($pipeline IS NULL OR pipeline = $pipeline) AND ($operation IS NULL OR operation = $operation)
                ORDER BY id DESC LIMIT $limit
                """;
            command.Parameters.AddWithValue("$pipeline", (object?)pipeline ?? DBNull.Value);
            command.Parameters.AddWithValue("$operation", (object?)operation ?? DBNull.Value);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var result = new List<OperationEntry>();
            while (reader.Read())
            {
                result.Add(new OperationEntry(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    ParseTime(reader.GetString(5)), ParseTime(reader.GetString(6)), reader.GetString(7),
                    reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12),
                    reader.IsDBNull(13) ? null : reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetString(14)));
            }

            return result;
        }
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
