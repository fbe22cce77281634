using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EtlRunner.Sandbox.Model;
using Microsoft.Data.Sqlite;

namespace EtlRunner.Sandbox.Storage;

/// <summary>Write-through persistence to a SQLite file: one table per record kind, each row the record as JSON.</summary>
internal sealed class SqlitePersistence : IPersistence
{
    private static readonly (string Table, Type Type)[] Tables =
    [
        ("contacts", typeof(ContactRecord)),
        ("lists", typeof(ListRecord)),
        ("custom_fields", typeof(CustomFieldRecord)),
        ("tags", typeof(TagRecord)),
        ("activities", typeof(ActivityRecord)),
    ];

    private readonly SqliteConnection _connection;

    public SqlitePersistence(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        foreach (var (table, _) in Tables)
        {
            Execute($"CREATE TABLE IF NOT EXISTS {table} (id TEXT PRIMARY KEY, json TEXT NOT NULL)");
        }
    }

    public PersistedData Load()
    {
        var data = new PersistedData();
        ReadAll("contacts", data.Contacts, PersistenceJson.Default.ContactRecord);
        ReadAll("lists", data.Lists, PersistenceJson.Default.ListRecord);
        ReadAll("custom_fields", data.Fields, PersistenceJson.Default.CustomFieldRecord);
        ReadAll("tags", data.Tags, PersistenceJson.Default.TagRecord);
        ReadAll("activities", data.Activities, PersistenceJson.Default.ActivityRecord);
        return data;
    }

    public void Save(IReadOnlyList<object> upserts, IReadOnlyList<Guid> deletedFields)
    {
        using var tx = _connection.BeginTransaction();
        foreach (var record in upserts)
        {
            var (table, id) = record switch
            {
                ContactRecord c => ("contacts", c.Id),
                ListRecord l => ("lists", l.Id),
                CustomFieldRecord f => ("custom_fields", f.Id),
                TagRecord t => ("tags", t.Id),
                ActivityRecord a => ("activities", a.Id),
                _ => throw new InvalidOperationException($"Cannot persist {record.GetType().Name}."),
            };
            using var cmd = _connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"INSERT INTO {table} (id, json) VALUES ($id, $json) ON CONFLICT(id) DO UPDATE SET json = excluded.json";
            cmd.Parameters.AddWithValue("$id", id.ToString());
            cmd.Parameters.AddWithValue("$json", JsonSerializer.Serialize(record, record.GetType(), PersistenceJson.Default));
            cmd.ExecuteNonQuery();
        }

        foreach (var id in deletedFields)
        {
            using var cmd = _connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "DELETE FROM custom_fields WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id.ToString());
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
    }

    public void Dispose() => _connection.Dispose();

    private void ReadAll<T>(string table, List<T> into, JsonTypeInfo<T> json)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"SELECT json FROM {table}";
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            into.Add(JsonSerializer.Deserialize(reader.GetString(0), json)
                ?? throw new InvalidDataException($"A row of table {table} holds no record."));
        }
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
