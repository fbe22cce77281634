namespace EtlRunner.State;

/// <summary>
/// The tables an agent group keeps in PostgreSQL, all named here (the status page and <c>etl status</c> read them).
/// <see cref="PostgresStateStore"/> creates them when missing (<c>CREATE TABLE IF NOT EXISTS</c>, under an advisory
/// lock so agents starting together do not race); Quartz creates its own <c>qrtz_*</c> tables (ProvisionSchema).
/// Times are <c>timestamptz</c>; a fire time is ISO 8601 text in UTC (<see cref="Scheduling.ScheduleFire.FireTimeText"/>),
/// the key a recovered fire is found by.
/// </summary>
public static class PostgresSchema
{
    /// <summary>Runs: one row per run, a run recovered by another agent included (see <see cref="Attempts"/>).</summary>
    public const string Runs = "etl_runs";

    /// <summary>Operations: one row per operation of a run as it ended (the history).</summary>
    public const string Operations = "etl_operations";

    public const string Watermarks = "etl_watermarks";

    /// <summary>Connector state (rotated OAuth tokens), per pipeline and connection.</summary>
    public const string ConnectorState = "etl_connector_state";

    /// <summary>The write ledger: one row per batch of an operation not yet finished.</summary>
    public const string Ledger = "etl_ledger";

    /// <summary>Leases: one row per (pipeline, schedule, fire time), with its owner, fencing token and expiry.</summary>
    public const string Leases = "etl_leases";

    /// <summary>Attempts: one row per lease taken for a fire (agent, token, start, end, outcome).</summary>
    public const string Attempts = "etl_attempts";

    /// <summary>The pipelines a group registered: the content hash every agent's copy must have.</summary>
    public const string Pipelines = "etl_pipelines";

    /// <summary>The pipelines an agent skips because its copy differs from the registered one, with why (the status page shows them).</summary>
    public const string Skips = "etl_agent_skips";

    /// <summary>
    /// Rejects: the lines a rejects file would hold (masked the same way), numbered per run and operation, written with
    /// the batch's confirmation in <see cref="Ledger"/> under the run's fencing token (see <see cref="PostgresRejects"/>).
    /// </summary>
    public const string Rejects = "etl_rejects";

    /// <summary>Quartz's scheduler name for an agent group: its jobs, triggers and check-ins (<c>qrtz_scheduler_state</c>) are kept apart from other groups'.</summary>
    public static string SchedulerName(string group) => "etl-group-" + group;

    /// <summary>The whole schema, idempotent.</summary>
    public const string Ddl = """
        CREATE TABLE IF NOT EXISTS etl_runs (seq bigserial UNIQUE, run_id text PRIMARY KEY, pipeline text NOT NULL, project text NOT NULL,
            environment text NOT NULL, start_time timestamptz NOT NULL, end_time timestamptz, status text NOT NULL DEFAULT 'running',
            selection text, resumable boolean NOT NULL DEFAULT false, operation text, operation_start timestamptz, schedule text, fire_time text,
            agent text);
        CREATE INDEX IF NOT EXISTS etl_runs_by_pipeline ON etl_runs (pipeline, seq);
        CREATE TABLE IF NOT EXISTS etl_operations (id bigserial PRIMARY KEY, run_id text NOT NULL, pipeline text NOT NULL, project text NOT NULL,
            environment text NOT NULL, operation text NOT NULL, start_time timestamptz NOT NULL, end_time timestamptz NOT NULL, status text NOT NULL,
            read bigint NOT NULL, filtered bigint NOT NULL, written bigint NOT NULL, skipped bigint NOT NULL, rejected bigint NOT NULL,
            error text, rejects_file text, globals text);
        ALTER TABLE etl_operations ADD COLUMN IF NOT EXISTS created bigint, ADD COLUMN IF NOT EXISTS updated bigint,
            ADD COLUMN IF NOT EXISTS deleted bigint, ADD COLUMN IF NOT EXISTS unchanged bigint;
        CREATE INDEX IF NOT EXISTS etl_operations_by_pipeline ON etl_operations (pipeline, operation, id);
        CREATE TABLE IF NOT EXISTS etl_watermarks (pipeline text NOT NULL, operation text NOT NULL, value text NOT NULL, run_id text NOT NULL,
            PRIMARY KEY (pipeline, operation));
        CREATE TABLE IF NOT EXISTS etl_connector_state (pipeline text NOT NULL, connection text NOT NULL, key text NOT NULL, value text NOT NULL,
            PRIMARY KEY (pipeline, connection, key));
        CREATE TABLE IF NOT EXISTS etl_ledger (pipeline text NOT NULL, operation text NOT NULL, sequence bigint NOT NULL, hash text NOT NULL,
            state smallint NOT NULL, run_id text NOT NULL, rejects_length bigint NOT NULL DEFAULT 0, target_length bigint,
            PRIMARY KEY (pipeline, operation, sequence));
        CREATE TABLE IF NOT EXISTS etl_leases (pipeline text NOT NULL, schedule text NOT NULL, fire_time text NOT NULL, owner text NOT NULL,
            token bigint NOT NULL, expires_at timestamptz NOT NULL, run_id text, finished_at timestamptz, outcome text,
            PRIMARY KEY (pipeline, schedule, fire_time));
        CREATE TABLE IF NOT EXISTS etl_attempts (pipeline text NOT NULL, schedule text NOT NULL, fire_time text NOT NULL, token bigint NOT NULL,
            agent text NOT NULL, run_id text, start_time timestamptz NOT NULL, end_time timestamptz, outcome text,
            PRIMARY KEY (pipeline, schedule, fire_time, token));
        CREATE TABLE IF NOT EXISTS etl_pipelines (agent_group text NOT NULL, pipeline text NOT NULL, hash text NOT NULL, agent text NOT NULL,
            registered_at timestamptz NOT NULL, PRIMARY KEY (agent_group, pipeline));
        CREATE TABLE IF NOT EXISTS etl_agent_skips (agent_group text NOT NULL, agent text NOT NULL, pipeline text NOT NULL, reason text NOT NULL,
            PRIMARY KEY (agent_group, agent, pipeline));
        """ + RejectsDdl;

    /// <summary>The rejects' table, a block of its own (see <see cref="Rejects"/>).</summary>
    private const string RejectsDdl = """

        CREATE TABLE IF NOT EXISTS etl_rejects (pipeline text NOT NULL, run_id text NOT NULL, operation text NOT NULL, line bigint NOT NULL,
            body text NOT NULL, PRIMARY KEY (run_id, operation, line));
        CREATE INDEX IF NOT EXISTS etl_rejects_by_pipeline ON etl_rejects (pipeline);
        """;
}
