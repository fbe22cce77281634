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

    internal string? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(sql, parameters);
            return command.ExecuteScalar() as string;
        }
    }

    /// <summary>Runs one statement for many keys in a single transaction: durable once it returns.</summary>
    internal void ExecuteForEach(string sql, IReadOnlyList<string> keys, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = Command(sql, parameters);
            command.Transaction = transaction;
            var key = command.Parameters.Add("$key", SqliteType.Text);
            command.Prepare();
            foreach (var value in keys)
            {
                key.Value = value;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    internal (long State, string? RunId)? Row(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(sql, parameters);
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : null;
        }
    }

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
