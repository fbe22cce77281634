using System.Text;

namespace EtlRunner.Connectors.Csv;

/// <summary>The fields of a csv connection, read from its settings.</summary>
internal sealed record CsvConnectionOptions(string Path, char Separator, bool HasHeader, Encoding Encoding)
{
    public string FileName => System.IO.Path.GetFileName(Path);

    public static CsvConnectionOptions From(Settings connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var delimiter = connection.GetString(CsvParameters.Delimiter) ?? ",";
        var separator = ParseDelimiter(delimiter)
            ?? throw new ArgumentException(DelimiterProblem(delimiter));
        var encoding = CsvEncodings.Resolve(connection.GetString(CsvParameters.Encoding) ?? CsvEncodings.Utf8);
        return new CsvConnectionOptions(
            System.IO.Path.GetFullPath(connection.GetRequiredString(CsvParameters.Path)),
            separator,
            connection.GetBoolean(CsvParameters.Header, defaultValue: true),
            encoding);
    }

    /// <summary>The separator for a <c>delimiter</c> value, or <c>null</c> when it is not one ASCII character.</summary>
    public static char? ParseDelimiter(string delimiter) => delimiter switch
    {
        "tab" or "\\t" or "\t" => '\t',
        { Length: 1 } when IsAllowedSeparator(delimiter[0]) => delimiter[0],
        _ => null,
    };

    public static string DelimiterProblem(string delimiter) =>
        $"The delimiter must be one ASCII character other than a quote or a line break, or \"tab\"; got \"{delimiter}\".";

    private static bool IsAllowedSeparator(char c) => char.IsAscii(c) && c is not ('"' or '\r' or '\n');
}
