namespace EtlRunner.Connectors.Csv;

/// <summary>The exceptions of the csv connector, with their messages in one place.</summary>
internal static class CsvErrors
{
    public static FileNotFoundException FileNotFound(string path) =>
        new($"The CSV file {path} does not exist.", path);

    public static IOException CannotRead(string path, Exception inner) =>
        new($"Cannot read the CSV file {path}: {inner.Message}", inner);

    /// <summary>A quote opened at <paramref name="line"/> is never closed: the rest of the file cannot be read as rows.</summary>
    public static InvalidDataException UnterminatedQuote(string fileName, long line, long lines) =>
        new(string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{fileName}:{line}: a quoted field opened on line {line} is never closed, so the rest of the file ({lines} line(s), to the end) was swallowed into one field and not read as rows; close the quote (a quote inside a quoted field is written twice) and run again. The row is in the rejects file."));

    public static IOException CannotWrite(string path, Exception inner) =>
        new($"Cannot write the CSV file {path}: {inner.Message}", inner);
}
