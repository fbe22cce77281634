namespace EtlRunner.Connectors.Sqlite;

/// <summary>The names and specs of the sqlite connection fields and activity parameters.</summary>
internal static class SqliteParameters
{
    public const string Database = "database";
    public const string BusyTimeout = "busy_timeout";
    public const string Sql = "sql";
    public const string Table = "table";
    public const string Parameters = "parameters";
    public const string CreateTable = "create_table";
    public const string OnConflict = "on_conflict";
    public const string Key = "key";

    public static IReadOnlyList<ParameterSpec> Connection { get; } =
    [
        new(Database, ParameterType.Path, "The SQLite database file. Targets create it (and its folder) when it does not exist; queries need it to exist.")
        {
            Required = true,
        },
        new(BusyTimeout, ParameterType.Integer, "Seconds to wait for a lock held by another process before the operation fails with \"database is locked\".")
        {
            Default = (long)SqliteConnectionOptions.DefaultBusyTimeoutSeconds,
            Minimum = 1,
            Maximum = 3600,
        },
    ];

    public static IReadOnlyList<ActivitySpec> Activities { get; } =
    [
        new(ActivityKind.Query, "Reads the rows of a SQL query or of a whole table. Values keep their SQLite type: INTEGER as a whole number, REAL as a number, TEXT as a string, NULL as null, BLOB as base64 text.",
        [
            new(Sql, ParameterType.String, "The SELECT statement to run. Give either sql or table. A [variable] in it is bound as a value, never spliced into the text (inside '...' it is joined to the text around it); so are the values from parameters, written $name, @name or :name.")
            {
                Bound = true,
            },
            TableSpec("The table to read whole (SELECT * FROM it). Give either sql or table.", required: false),
            new(Parameters, ParameterType.Map, "Values for the named parameters of sql, e.g. { since: \"[last_load]\" } for $since."),
        ]),
        new(ActivityKind.Create, "Inserts each record as a row, one transaction per batch. A row the database refuses (a constraint) is rejected with the reason; the rest of the batch is written.",
        [
            TableSpec("The table to insert into. A field that is not a column of the table rejects the record.", required: true),
            new(CreateTable, ParameterType.Boolean, "Create the table when it does not exist, with a column per field of the first record (INTEGER, REAL or TEXT from its values) and, when key is given, a UNIQUE constraint on the key.")
            {
                Default = false,
            },
            new(OnConflict, ParameterType.String, "What a row whose key or unique columns already exist does: fail rejects it, ignore skips it, replace deletes the old row and inserts the new one, upsert updates the old row's other fields (needs key).")
            {
                Default = SqliteConflict.Fail,
                AllowedValues = SqliteConflict.All,
            },
            KeySpec("The fields that identify a row: the conflict target of upsert and the UNIQUE constraint of create_table.", required: false),
        ]),
        new(ActivityKind.Update, "Updates the row whose key fields match each record, setting the record's other fields. A record that matches no row is rejected, so nothing is lost silently.",
        [
            TableSpec("The table to update.", required: true),
            KeySpec("The fields that identify the row to update (one or more).", required: true),
        ]),
        new(ActivityKind.Delete, "Deletes the row whose key fields match each record. A record that matches no row is rejected.",
        [
            TableSpec("The table to delete from.", required: true),
            KeySpec("The fields that identify the row to delete (one or more); the record's other fields are ignored.", required: true),
        ]),
    ];

    private static ParameterSpec TableSpec(string description, bool required) =>
        new(Table, ParameterType.String, description + " The name is always quoted, so spaces, quotes and keywords are fine.") { Required = required };

    private static ParameterSpec KeySpec(string description, bool required) =>
        new(Key, ParameterType.StringList, description) { Required = required, NamesFields = true };
}
