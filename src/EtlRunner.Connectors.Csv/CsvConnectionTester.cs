using System.Globalization;
using CsvHelper;

namespace EtlRunner.Connectors.Csv;

/// <summary>
/// The Test button of a csv connection. A <c>query</c> needs the file to exist and be readable (its
/// header is read); a <c>create</c> needs its folder to be writable (a temporary file is created and
/// deleted). Without an activity (a plain <see cref="ConnectionContext"/>) the file is tested for reading.
/// </summary>
internal static class CsvConnectionTester
{
    public static ConnectionTestResult Test(ConnectionContext context)
    {
        CsvConnectionOptions options;
        try
        {
            options = CsvConnectionOptions.From(context.Connection);
        }
        catch (ArgumentException ex)
        {
            return ConnectionTestResult.Failed(ex.Message);
        }

        return context is ActivityContext { Kind: var kind } && kind.IsTarget()
            ? TestWritable(options.Path)
            : TestReadable(options);
    }

    private static ConnectionTestResult TestReadable(CsvConnectionOptions options)
    {
        var file = new FileInfo(options.Path);
        if (!file.Exists)
        {
            return ConnectionTestResult.Failed($"cannot read {options.Path}: file not found");
        }

        try
        {
            using var reader = CsvReader.FromFile(options.Path, CsvReaderSettings.For(options));
            reader.Read();
            return ConnectionTestResult.Ok(string.Create(CultureInfo.InvariantCulture, $"readable: {options.Path} ({file.Length:N0} bytes)"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return ConnectionTestResult.Failed($"cannot read {options.Path}: {ex.Message}");
        }
    }

    private static ConnectionTestResult TestWritable(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var (existing, problem) = FileLocation.CheckCreatable(path);
        return problem is not null ? ConnectionTestResult.Failed(problem)
            : existing == folder ? ConnectionTestResult.Ok($"writable: {folder}")
            : ConnectionTestResult.Ok($"writable: {existing} (the folder {folder} will be created)");
    }
}
