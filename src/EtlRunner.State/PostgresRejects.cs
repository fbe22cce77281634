using Npgsql;

namespace EtlRunner.State;

/// <summary>
/// The rejects of an agent group's runs in PostgreSQL (<see cref="PostgresSchema.Rejects"/>): one row per line, the line
/// exactly as a rejects file would hold it (masked by the engine before it gets here), numbered per run and operation.
/// Every write is fenced by the store's lease, like the ledger's: a batch's lines are inserted with its confirmation
/// (<see cref="PostgresLedger"/>), the others through <see cref="Append"/>.
/// </summary>
internal sealed class PostgresRejects(PostgresStateStore store, string where) : IRejectsStore
{
    public string Describe(string runId, string operation) => $"{PostgresSchema.Rejects} in {where} (run {runId}, operation {operation})";

    public long Count(string runId, string operation) => store.Read(c => (long)PostgresSql.Command(c, null,
        "SELECT count(*) FROM etl_rejects WHERE run_id = @r AND operation = @o", ("r", runId), ("o", operation)).ExecuteScalar()!);

    public void Append(string pipeline, string runId, string operation, long after, IReadOnlyList<string> lines) =>
        store.Write(false, (c, t) => Insert(c, t, pipeline, runId, operation, after, lines));

    public long Cut(string runId, string operation, long length) => store.Write(false, (c, t) => PostgresStateStore.Execute(c, t,
        "DELETE FROM etl_rejects WHERE run_id = @r AND operation = @o AND line > @l", ("r", runId), ("o", operation), ("l", length)));

    public IReadOnlyList<string> Lines(string runId, string operation) => store.Read(c =>
    {
        using var reader = PostgresSql.Command(c, null,
            "SELECT body FROM etl_rejects WHERE run_id = @r AND operation = @o ORDER BY line", ("r", runId), ("o", operation)).ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    });

    public IReadOnlyList<(string Operation, long Lines)> Operations(string runId) => store.Read(c =>
    {
        using var reader = PostgresSql.Command(c, null,
            "SELECT operation, count(*) FROM etl_rejects WHERE run_id = @r GROUP BY operation ORDER BY min(line), operation", ("r", runId)).ExecuteReader();
        var operations = new List<(string, long)>();
        while (reader.Read())
        {
            operations.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return operations;
    });

    /// <summary>Inserts lines <paramref name="after"/> + 1, ... in one statement, inside the caller's (fenced) transaction.</summary>
    internal static int Insert(NpgsqlConnection c, NpgsqlTransaction t, string pipeline, string runId, string operation, long after, IReadOnlyList<string> lines) =>
        lines.Count == 0 ? 0 : PostgresStateStore.Execute(c, t,
            """
            INSERT INTO etl_rejects (pipeline, run_id, operation, line, body)
            SELECT @p, @r, @o, @after + n, body FROM unnest(@bodies::text[]) WITH ORDINALITY AS u(body, n)
            """,
            ("p", pipeline), ("r", runId), ("o", operation), ("after", after), ("bodies", lines as string[] ?? [.. lines]));
}
