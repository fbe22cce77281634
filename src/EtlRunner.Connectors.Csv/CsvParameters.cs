namespace EtlRunner.Connectors.Csv;

/// <summary>The names and specs of the csv connection fields and activity parameters.</summary>
internal static class CsvParameters
{
    public const string Path = "path";
    public const string Delimiter = "delimiter";
    public const string Header = "header";
    public const string Encoding = "encoding";
    public const string Mode = "mode";

    public const string ModeOverwrite = "overwrite";
    public const string ModeAppend = "append";

    public static IReadOnlyList<ParameterSpec> Connection { get; } =
    [
        new(Path, ParameterType.Path, "The CSV file: read by query, written by create. Relative paths resolve against the folder of the YAML file.")
        {
            Required = true,
        },
        new(Delimiter, ParameterType.String, "The field separator: one ASCII character, or \"tab\" (also \"\\t\") for tab-separated files.")
        {
            Default = ",",
        },
        new(Header, ParameterType.Boolean, "Whether the first line holds the field names. Without a header the fields are named column1, column2, ...; create then writes no header line.")
        {
            Default = true,
        },
        new(Encoding, ParameterType.String, "The text encoding of the file. A UTF-8 byte-order mark is ignored when reading; files are written without one.")
        {
            Default = "utf-8",
            AllowedValues = CsvEncodings.Names,
        },
    ];

    public static IReadOnlyList<ActivitySpec> Activities { get; } =
    [
        new(ActivityKind.Query, "Reads every row of the file as a record of strings (RFC 4180: quoted fields may hold separators, quotes and line breaks). Malformed rows are rejected with the line number and the rest is read.", []),
        new(ActivityKind.Create, "Writes the records as rows. The header comes from the fields of the first record; later records are written by field name (a missing field is empty, an unknown field rejects the record).",
        [
            new(Mode, ParameterType.String, "overwrite replaces the file when the operation completes (a failed run leaves the old file untouched); append adds rows at the end, writing the header only when the file is new or empty.")
            {
                Default = ModeOverwrite,
                AllowedValues = [ModeOverwrite, ModeAppend],
            },
        ]),
    ];
}
