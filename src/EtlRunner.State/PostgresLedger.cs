namespace EtlRunner.State;

/// <summary>The write ledger of one operation in PostgreSQL: one row per batch, every write fenced by the run's lease.</summary>
internal sealed class PostgresLedger(PostgresStateStore store, string pipeline, string operation) : IWriteLedger
{
    public IReadOnlyDictionary<long, LedgerEntry> Load() => store.Read(c =>
    {
        using var reader = PostgresSql.Command(c, null,
            "SELECT sequence, hash, state, run_id, rejects_length, target_length FROM etl_ledger WHERE pipeline = @p AND operation = @o",
            ("p", pipeline), ("o", operation)).ExecuteReader();
        var entries = new Dictionary<long, LedgerEntry>();
        while (reader.Read())
        {
            entries[reader.GetInt64(0)] = new LedgerEntry(
                reader.GetInt64(0), reader.GetString(1), (LedgerState)reader.GetInt16(2), reader.GetString(3),
                new LedgerMark(reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5)));
        }

        return entries;
    });

    /// <summary>Refused (<see cref="LeaseLostException"/>) when the lease is lost or near its end: no batch is sent then.</summary>
    public void MarkPending(long sequence, string hash, string runId, LedgerMark mark) => store.Write(true, (c, t) => PostgresStateStore.Execute(c, t,
        """
        INSERT INTO etl_ledger (pipeline, operation, sequence, hash, state, run_id, rejects_length, target_length) VALUES (@p, @o, @s, @h, 1, @r, @rl, @tl)
        ON CONFLICT (pipeline, operation, sequence) DO UPDATE SET hash = EXCLUDED.hash, state = 1, run_id = EXCLUDED.run_id,
            rejects_length = EXCLUDED.rejects_length, target_length = EXCLUDED.target_length
        """,
        ("p", pipeline), ("o", operation), ("s", sequence), ("h", hash), ("r", runId), ("rl", mark.RejectsLength), ("tl", mark.TargetLength)));

    public void MarkDone(long sequence, string runId, LedgerMark mark) => MarkDone(sequence, runId, mark, []);

    /// <summary>The batch's rejects lines (the last of the run's lines up to the mark) are inserted in the confirmation's transaction, under the same fencing token.</summary>
    public void MarkDone(long sequence, string runId, LedgerMark mark, IReadOnlyList<string> rejects)
    {
        ArgumentNullException.ThrowIfNull(rejects);
        store.Write(false, (c, t) =>
        {
            PostgresRejects.Insert(c, t, pipeline, runId, operation, mark.RejectsLength - rejects.Count, rejects);
            return PostgresStateStore.Execute(c, t,
                "UPDATE etl_ledger SET state = 2, run_id = @r, rejects_length = @rl, target_length = @tl WHERE pipeline = @p AND operation = @o AND sequence = @s",
                ("p", pipeline), ("o", operation), ("s", sequence), ("r", runId), ("rl", mark.RejectsLength), ("tl", mark.TargetLength));
        });
    }

    public void Settle(string runId, long rejectsLength) => store.Write(false, (c, t) => PostgresStateStore.Execute(c, t,
        "UPDATE etl_ledger SET rejects_length = @rl WHERE pipeline = @p AND operation = @o AND run_id = @r",
        ("p", pipeline), ("o", operation), ("r", runId), ("rl", rejectsLength)));

    public void Forget(long sequence) => store.Write(false, (c, t) => PostgresStateStore.Execute(c, t,
        "DELETE FROM etl_ledger WHERE pipeline = @p AND operation = @o AND sequence = @s", ("p", pipeline), ("o", operation), ("s", sequence)));
}
