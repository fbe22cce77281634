namespace EtlRunner.Connectors.Csv;

/// <summary>The exceptions of the csv connector, with their messages in one place.</summary>
internal static class CsvErrors
{
    public static FileNotFoundException FileNotFound(string path) =>
        new($"The CSV file {path} does not exist.", path);

    public static IOException CannotRead(string path, Exception inner) =>
        new($"Cannot read the CSV file {path}: {inner.Message}", inner);

    public static IOException CannotWrite(string path, Exception inner) =>
        new($"Cannot write the CSV file {path}: {inner.Message}", inner);
}
