using System.Runtime.InteropServices;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// The few SQLite column getters a query's read loop calls for every value, bound straight to the e_sqlite3 library
/// that SQLitePCLRaw loads: on the statement's raw pointer, without SQLitePCLRaw's provider layer, its SafeHandle
/// reference counting and its span wrappers around every call. They only read the current row, so they skip the
/// GC transition too.
/// </summary>
internal static class SqliteNative
{
    private const string Library = "e_sqlite3";

    [DllImport(Library, EntryPoint = "sqlite3_column_type")]
    [SuppressGCTransition]
    public static extern int ColumnType(nint statement, int index);

    [DllImport(Library, EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    public static extern long ColumnInt64(nint statement, int index);

    [DllImport(Library, EntryPoint = "sqlite3_column_double")]
    [SuppressGCTransition]
    public static extern double ColumnDouble(nint statement, int index);

    /// <summary>The text of a column as UTF-8, valid until the next step; its length comes from <see cref="ColumnBytes"/>, called after it.</summary>
    [DllImport(Library, EntryPoint = "sqlite3_column_text")]
    [SuppressGCTransition]
    public static extern nint ColumnText(nint statement, int index);

    /// <summary>
    /// The bytes of a column as they are stored: for a TEXT value in a UTF-8 database its UTF-8, without the copy that
    /// <see cref="ColumnText"/> makes to end it with a NUL; the length comes from <see cref="ColumnBytes"/>, called after it.
    /// </summary>
    [DllImport(Library, EntryPoint = "sqlite3_column_blob")]
    [SuppressGCTransition]
    public static extern nint ColumnBlob(nint statement, int index);

    [DllImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    public static extern int ColumnBytes(nint statement, int index);

    /// <summary>
    /// Binds UTF-8 text that SQLite copies at once (<see cref="Transient"/>): the write loop's call for every text value.
    /// Short and never blocking on the write connection, which one thread uses, so it skips the GC transition too.
    /// </summary>
    [DllImport(Library, EntryPoint = "sqlite3_bind_text")]
    [SuppressGCTransition]
    public static extern int BindText(nint statement, int position, ref byte text, int length, nint destructor);

    /// <summary>SQLITE_TRANSIENT: SQLite copies a bound value before the call returns.</summary>
    public static nint Transient => -1;

    /// <summary>SQLITE_STATIC: SQLite reads a bound value where it is, until it is bound again or the statement is finalized.</summary>
    public static nint Static => 0;

    /// <summary>
    /// Steps a statement: the write loop's call for every row. Not without the GC transition: a step may wait for a lock
    /// or the disk.
    /// </summary>
    [DllImport(Library, EntryPoint = "sqlite3_step")]
    public static extern int Step(nint statement);

    [DllImport(Library, EntryPoint = "sqlite3_reset")]
    public static extern int Reset(nint statement);

    [DllImport(Library, EntryPoint = "sqlite3_changes")]
    [SuppressGCTransition]
    public static extern int Changes(nint db);
}
