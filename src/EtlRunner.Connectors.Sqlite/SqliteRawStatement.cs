using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// A statement prepared once on the connection's native handle (<see cref="SqliteConnection.Handle"/>):
/// bound, stepped and reset for each row of an insert, or bound once and stepped through the rows of a query.
/// These are the hot paths: it skips the reader, the parameter lookup by name and the allocations that
/// <see cref="SqliteCommand"/> makes for every call and every value, which roughly halves the cost of a row.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    private static readonly string[] NamePrefixes = ["$", "@", ":"];

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private byte[] _utf8 = new byte[256];

    // The UTF-8 of the text values BindFields bound last, which SQLite reads in place (SQLITE_STATIC) when the row is
    // stepped: pinned, so it never moves, and replaced only by a larger one before a row is bound again.
    private byte[] _row = GC.AllocateUninitializedArray<byte>(4096, pinned: true);

    public SqliteRawStatement(SqliteConnection connection, string sql)
        : this(connection.Handle ?? throw new InvalidOperationException("The connection is not open."), sql)
    {
    }

    /// <summary>A statement prepared on a handle opened without a connection (<see cref="SqliteReadHandle"/>).</summary>
    public SqliteRawStatement(sqlite3 db, string sql)
    {
        _db = db;
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    /// <summary>Binds parameter <paramref name="index"/> (0-based) to a value from <see cref="SqliteValues.ToDatabase"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Bind(int index, object value)
    {
        var rc = value switch
        {
            string s => BindText(index + 1, s),
            long l => raw.sqlite3_bind_int64(_statement, index + 1, l),
            double d => raw.sqlite3_bind_double(_statement, index + 1, d),
            byte[] blob => raw.sqlite3_bind_blob(_statement, index + 1, blob),
            _ => raw.sqlite3_bind_null(_statement, index + 1),
        };
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    /// <summary>Runs the statement with the values bound and resets it for the next row.</summary>
    /// <returns>The number of rows it inserted, updated or deleted.</returns>
    /// <exception cref="SqliteException">The statement failed; SQLite has rolled back only this statement when the error is a constraint.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Execute()
    {
        // On the raw pointers: SQLitePCLRaw's wrappers count a SafeHandle reference up and down around every call.
        var statement = _statement.DangerousGetHandle();
        var rc = SqliteNative.Step(statement);
        if (rc == raw.SQLITE_DONE || rc == raw.SQLITE_ROW)
        {
            var changes = SqliteNative.Changes(_db.DangerousGetHandle());
            SqliteNative.Reset(statement);
            return changes;
        }

        var error = Error(rc);
        SqliteNative.Reset(statement);
        throw error;
    }

    /// <summary>
    /// The write loop's bind of a record's fields <paramref name="fields"/> to the parameters in order, with the same values
    /// as <see cref="Bind(Record, IReadOnlyList{int})"/>: text, the common case, goes straight to e_sqlite3, encoded
    /// into one buffer for the row that SQLite reads in place instead of copying each value (valid until the next bind).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BindFields(Record record, int[] fields)
    {
        var statement = _statement.DangerousGetHandle();
        var offset = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            var value = record.GetValue(fields[i]);
            if (value is not string text)
            {
                Bind(i, SqliteValues.ToDatabase(value));
                continue;
            }

            var max = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (offset + max > _row.Length)
            {
                // A larger buffer for this row: the values bound so far point into the old one, so bind them all again.
                _row = GC.AllocateUninitializedArray<byte>(Math.Max(_row.Length * 2, offset + max + 4096), pinned: true);
                BindFields(record, fields);
                return;
            }

            var length = Encoding.UTF8.GetBytes(text, _row.AsSpan(offset));
            var rc = SqliteNative.BindText(statement, i + 1, ref _row[offset], length, SqliteNative.Static);
            if (rc != raw.SQLITE_OK)
            {
                throw Error(rc);
            }

            offset += length;
        }
    }

    /// <summary>Binds the record's fields <paramref name="fields"/> to the parameters in order, each as <see cref="SqliteValues.ToDatabase"/> converts it.</summary>
    public void Bind(Record record, IReadOnlyList<int> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            Bind(i, SqliteValues.ToDatabase(record.GetValue(fields[i])));
        }
    }

    /// <summary>Makes a query ready to be bound and stepped again, its bindings cleared.</summary>
    public void Reset()
    {
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
    }

    /// <summary>
    /// Binds a named parameter, written in the statement as <c>$name</c>, <c>@name</c> or <c>:name</c> (or with its
    /// prefix in <paramref name="name"/>); a name the statement does not use is ignored.
    /// </summary>
    public void BindNamed(string name, object value)
    {
        var index = raw.sqlite3_bind_parameter_index(_statement, name);
        foreach (var prefix in NamePrefixes)
        {
            index = index > 0 ? index : raw.sqlite3_bind_parameter_index(_statement, prefix + name);
        }

        if (index > 0)
        {
            Bind(index - 1, value);
        }
    }

    /// <summary>The statement's parameters that nothing is bound to, by name (in the order they appear).</summary>
    public IReadOnlyList<string> UnboundParameters(IEnumerable<string> bound)
    {
        var names = bound.SelectMany(n => NamePrefixes.Select(p => p + n).Append(n)).ToHashSet(StringComparer.Ordinal);
        return [.. Enumerable.Range(1, raw.sqlite3_bind_parameter_count(_statement))
            .Select(i => raw.sqlite3_bind_parameter_name(_statement, i).utf8_to_string())
            .Where(n => n is not null && !names.Contains(n))];
    }

    /// <summary>Steps a query to its next row: false after the last.</summary>
    /// <exception cref="SqliteException">The query failed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        return rc == raw.SQLITE_ROW || (rc == raw.SQLITE_DONE ? false : throw Error(rc));
    }

    /// <summary>A column of the current row by its position: INTEGER as long, REAL as double, TEXT as string, NULL as null, BLOB as base64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public object? Column(int index)
    {
        var statement = _statement.DangerousGetHandle();
        switch (SqliteNative.ColumnType(statement, index))
        {
            case raw.SQLITE_INTEGER:
                return SqliteNative.ColumnInt64(statement, index);
            case raw.SQLITE_FLOAT:
                return SqliteNative.ColumnDouble(statement, index);
            case raw.SQLITE_TEXT:
                var text = SqliteNative.ColumnText(statement, index);
                return Marshal.PtrToStringUTF8(text, SqliteNative.ColumnBytes(statement, index));
            case raw.SQLITE_BLOB:
                return Convert.ToBase64String(raw.sqlite3_column_blob(_statement, index));
            default:
                return null;
        }
    }

    /// <summary>
    /// Adds the current row's columns to <paramref name="rows"/>, as SQLite holds them: INTEGER, REAL, TEXT as its
    /// UTF-8 bytes, NULL, and BLOB as base64 text (as <see cref="Column"/> reads them). Only for a UTF-8 database
    /// (<see cref="SqliteReadHandle.IsUtf8"/>): the stored bytes of a text are read without SQLite copying them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ReadRow(Utf8Rows rows, int columns)
    {
        var statement = _statement.DangerousGetHandle();
        rows.BeginRow();
        for (var i = 0; i < columns; i++)
        {
            switch (SqliteNative.ColumnType(statement, i))
            {
                case raw.SQLITE_INTEGER:
                    rows.AddInteger(SqliteNative.ColumnInt64(statement, i));
                    break;
                case raw.SQLITE_FLOAT:
                    rows.AddReal(SqliteNative.ColumnDouble(statement, i));
                    break;
                case raw.SQLITE_TEXT:
                    var text = SqliteNative.ColumnBlob(statement, i);
                    rows.AddText(text, SqliteNative.ColumnBytes(statement, i));
                    break;
                case raw.SQLITE_BLOB:
                    rows.AddText(Encoding.ASCII.GetBytes(Convert.ToBase64String(raw.sqlite3_column_blob(_statement, i))));
                    break;
                default:
                    rows.AddNull();
                    break;
            }
        }
    }

    /// <summary>The names of the columns the statement returns, known once it is prepared: nothing is run.</summary>
    public IReadOnlyList<string> ColumnNames() =>
        [.. Enumerable.Range(0, raw.sqlite3_column_count(_statement)).Select(i => raw.sqlite3_column_name(_statement, i).utf8_to_string())];

    public void Dispose() => _statement.Dispose();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int BindText(int position, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, _utf8);
        return raw.sqlite3_bind_text(_statement, position, _utf8.AsSpan(0, length));
    }

    private SqliteException Error(int rc) =>
        new(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
}
