using Microsoft.Data.Sqlite;

namespace EtlRunner.State;

public sealed partial class SqliteStateStore
{
    internal int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(sql, parameters);
            return command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Runs one of the statements the write ledger runs for every batch, prepared once on the connection and kept:
    /// a statement prepared anew for each is most of what a batch's entry costs. Never inside a transaction (a kept
    /// command does not follow it).
    /// </summary>
    internal int ExecutePrepared(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            if (!_prepared.TryGetValue(sql, out var command))
            {
                command = _connection.CreateCommand();
                command.CommandText = sql;
                foreach (var (name, _) in parameters)
                {
                    command.Parameters.Add(new SqliteParameter { ParameterName = name });
                }

                _prepared.Add(sql, command);
            }

            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
            }

            return command.ExecuteNonQuery();
        }
    }

    internal string? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(sql, parameters);
            return command.ExecuteScalar() as string;
        }
    }

    internal IReadOnlyDictionary<long, LedgerEntry> LedgerEntries(string pipeline, string operation)
    {
        lock (_gate)
        {
            using var command = Command(
                "SELECT sequence, hash, state, run_id, rejects_length, target_length FROM ledger WHERE pipeline = $p AND operation = $o",
                [("$p", pipeline), ("$o", operation)]);
            using var reader = command.ExecuteReader();
            var entries = new Dictionary<long, LedgerEntry>();
            while (reader.Read())
            {
                entries[reader.GetInt64(0)] = new LedgerEntry(
                    reader.GetInt64(0), reader.GetString(1), (LedgerState)reader.GetInt64(2), reader.GetString(3),
                    new LedgerMark(reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5)));
            }

            return entries;
        }
    }

    internal void ClearLedger(string pipeline, string operation) =>
        Execute("DELETE FROM ledger WHERE pipeline = $p AND operation = $o", ("$p", pipeline), ("$o", operation));

    private SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
