using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// Opens connections to a sqlite connection's database file: unpooled (closing really closes the
/// file), with a busy timeout so a write lock held by another process is waited for, then reported.
/// </summary>
internal static class SqliteDatabase
{
    /// <summary>Opens an existing database read-only, for queries.</summary>
    public static SqliteConnection OpenForRead(SqliteConnectionOptions options)
    {
        if (!File.Exists(options.Path))
        {
            throw SqliteErrors.DatabaseNotFound(options.Path);
        }

        return Open(options, SqliteOpenMode.ReadOnly, writer: false);
    }

    /// <summary>Opens the database for writing, creating the file and its folder when missing.</summary>
    public static SqliteConnection OpenForWrite(SqliteConnectionOptions options)
    {
        var folder = Path.GetDirectoryName(options.Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return Open(options, SqliteOpenMode.ReadWriteCreate, writer: true);
    }

    /// <summary>
    /// Opens the database for a preview, creating nothing: an existing file read-write (its journal mode left alone) with
    /// a transaction begun that is never committed; a missing one as an empty database in memory.
    /// </summary>
    public static SqliteConnection OpenForPreview(SqliteConnectionOptions options)
    {
        var connection = File.Exists(options.Path)
            ? Open(options, SqliteOpenMode.ReadWrite, writer: false)
            : Open(options with { Path = ":memory:" }, SqliteOpenMode.Memory, writer: false);
        try
        {
            // BEGIN as a statement, not BeginTransaction: the table is read and created with commands inside it.
            using var begin = connection.CreateCommand();
            begin.CommandText = "BEGIN";
            begin.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw SqliteErrors.Wrap(ex, options);
        }
    }

    private static SqliteConnection Open(SqliteConnectionOptions options, SqliteOpenMode mode, bool writer)
    {
        // Microsoft.Data.Sqlite retries a busy statement until the command timeout, and SQLite itself
        // waits busy_timeout: both are set to the same number of seconds.
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = options.BusyTimeoutSeconds,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {options.BusyTimeoutSeconds * 1000};");
            pragma.ExecuteNonQuery();
            if (writer)
            {
                // NORMAL instead of FULL: a commit does not wait for the disk to confirm every write.
                // In WAL mode the database stays consistent on power loss; only the last commits may be lost.
                pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
                pragma.ExecuteNonQuery();
            }

            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw SqliteErrors.Wrap(ex, options);
        }
    }
}
