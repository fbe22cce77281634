using System.Runtime.CompilerServices;
using CsvHelper;

namespace EtlRunner.Connectors.Csv;

/// <summary>Reads a CSV file as records of strings that share one schema (the <c>query</c> activity).</summary>
internal sealed class CsvSource : ISource
{
    private readonly CsvConnectionOptions _options;

    public CsvSource(CsvConnectionOptions options)
    {
        _options = options;
    }

    public async IAsyncEnumerable<Record> ReadAsync(ISourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var file = new FileInfo(_options.Path);
        if (!file.Exists)
        {
            throw CsvErrors.FileNotFound(_options.Path);
        }

        var problems = new CsvRowProblems();
        var records = new CsvRecordReader(_options, problems, context, file.Length);
        using var reader = Open(problems);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (records.Read(reader) is { } record)
            {
                yield return record;
            }
        }

        context.ReportProgress(file.Length, file.Length);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private CsvReader Open(CsvRowProblems problems)
    {
        try
        {
            return CsvReader.FromFile(_options.Path, CsvReaderSettings.For(_options, problems.Add));
        }
        catch (FileNotFoundException)
        {
            throw CsvErrors.FileNotFound(_options.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CsvErrors.CannotRead(_options.Path, ex);
        }
    }
}
