using System.Globalization;
using CsvHelper;

namespace EtlRunner.Connectors.Csv;

/// <summary>
/// Why a row cannot be read, in words that name the line. Quoting problems arrive from CsvHelper's
/// <see cref="CsvReaderOptions.OnMalformedRecord"/> callback before the record they belong to is
/// returned; they are queued and matched to records by line number.
/// </summary>
internal sealed class CsvRowProblems
{
    private readonly Queue<CsvMalformedRecord> _malformed = new();

    public void Add(CsvMalformedRecord record) => _malformed.Enqueue(record);

    /// <summary>The quoting problem of the record that starts at <paramref name="line"/>, if it is one that rejects the row.</summary>
    /// <remarks>
    /// A stray quote inside an unquoted field (<c>12" pipe</c>) is kept as text, as most CSV readers do;
    /// text after a closing quote and a quote that is never closed reject the row.
    /// </remarks>
    public string? QuotingProblem(long line)
    {
        string? problem = null;
        while (_malformed.TryPeek(out var next) && next.LineNumber <= line)
        {
            _malformed.Dequeue();
            if (next.LineNumber == line)
            {
                problem ??= Describe(next.Reason, line);
                SwallowedRest |= next.Reason == CsvMalformedReason.UnterminatedQuote;
            }
        }

        return problem;
    }

    /// <summary>True once a quote that is never closed made the reader take the rest of the file as one row.</summary>
    public bool SwallowedRest { get; private set; }

    public static string FieldCount(long line, int expected, int found) =>
        string.Create(CultureInfo.InvariantCulture, $"line {line}: expected {expected} fields, found {found}");

    public static string InvalidBytes(long line, string encodingName) =>
        string.Create(CultureInfo.InvariantCulture, $"line {line}: the row holds bytes that are not valid {encodingName}");

    private static string? Describe(CsvMalformedReason reason, long line) => reason switch
    {
        CsvMalformedReason.UnterminatedQuote => string.Create(CultureInfo.InvariantCulture,
            $"line {line}: a quoted field is never closed (unterminated quote); the rest of the file was read as this one row"),
        CsvMalformedReason.TextAfterClosingQuote => string.Create(CultureInfo.InvariantCulture,
            $"line {line}: text after the closing quote of a quoted field (a quote inside a quoted field must be doubled)"),
        CsvMalformedReason.LineBreakInQuotes => string.Create(CultureInfo.InvariantCulture,
            $"line {line}: a line break inside a quoted field"),
        _ => null,
    };
}
