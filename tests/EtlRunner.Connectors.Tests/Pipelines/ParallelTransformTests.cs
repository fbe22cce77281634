using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EtlRunner.Execution;
using EtlRunner.Planning;

namespace EtlRunner.Connectors.Tests.Pipelines;

/// <summary>
/// The transform runs on one worker (on the assembler's thread) or several while the batches keep the input's order:
/// each run goes from a real CSV file to a real CSV file or SQLite database through the whole engine, with 1 and with 4
/// workers, and many more chunks than workers.
/// </summary>
public sealed class ParallelTransformTests : IDisposable
{
    private readonly PipelineHarness _harness = new(new global::EtlRunner.Connectors.Csv.CsvConnector(), new global::EtlRunner.Connectors.Sqlite.SqliteConnector());

    private static string Pipeline(string input, string target, string where = "record.keep == \"yes\"", string options = "")
    {
        var table = target.Contains("sqlite", StringComparison.Ordinal) ? ", table: contacts, create_table: true" : string.Empty;
        return $$$"""
            project: parallel
            connections:
              - { name: In, type: csv, path: "{{{input}}}" }
              - {{{target}}}
            operations:
              - name: Load
                source: { connection: In, activity: query }
                transform:
                  where: '{{{where}}}'
                  map:
                    id: "{{ record.id }}"
                    email: "{{ record.email | string.downcase }}"
                target: { connection: Out, activity: create{{{table}}} }
                options: { batch_size: 100{{{options}}} }
            """;
    }

    /// <summary>A CSV of <paramref name="rows"/> rows: id, email in mixed case, and keep: "no" every third row, <paramref name="keep"/> deciding the rest.</summary>
    private string Input(int rows, Func<int, string>? keep = null)
    {
        var text = new StringBuilder("id,email,keep\n");
        for (var i = 1; i <= rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i},User{i}@Example.COM,{keep?.Invoke(i) ?? (i % 3 == 0 ? "no" : "yes")}\n");
        }

        return _harness.Folder.Write("in.csv", text.ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Run_ManyChunksCsvToCsv_WritesEveryKeptRecordInInputOrder(int workers)
    {
        var input = Input(20_000);
        var output = _harness.Folder.File("out.csv");

        var report = await _harness.RunAsync(Pipeline(input, $"{{ name: Out, type: csv, path: \"{output}\" }}"), new RunOptions { TransformWorkers = workers });

        var operation = Assert.Single(report.Operations);
        Assert.Equal(OperationStatus.Succeeded, operation.Status);
        var kept = Enumerable.Range(1, 20_000).Where(i => i % 3 != 0).ToList();
        Assert.Equal((20_000, 20_000 - kept.Count, kept.Count, 0, 0), Counts(operation.Counts));
        var lines = File.ReadAllLines(output);
        Assert.Equal("id,email", lines[0]);
        Assert.Equal(kept.Select(i => $"{i},user{i}@example.com"), lines.Skip(1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Run_ManyChunksCsvToSqlite_InsertsInInputOrderAndConfirmsEveryBatch(int workers)
    {
        var input = Input(20_000);
        var database = _harness.Folder.File("out.db");

        var report = await _harness.RunAsync(Pipeline(input, $"{{ name: Out, type: sqlite, database: \"{database}\" }}"), new RunOptions { StateDirectory = _harness.Folder.File(".etl"), TransformWorkers = workers });

        var operation = Assert.Single(report.Operations);
        Assert.Equal(OperationStatus.Succeeded, operation.Status);
        var rows = SqliteFile.Rows(database, "SELECT id, email FROM contacts ORDER BY rowid");
        var kept = Enumerable.Range(1, 20_000).Where(i => i % 3 != 0).ToList();
        Assert.Equal(kept.Count, operation.Counts.Written);
        Assert.Equal(kept.Select(i => $"{i} user{i}@example.com"), rows.Select(r => $"{r[0]} {r[1]}"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Run_TransformFailsOnRecordsMidStream_RejectsExactlyThoseInOrderAndWritesTheRest(int workers)
    {
        // Given: the where gives text, not true or false, for rows 777, 5,000 and 9,999: a transform error on those only
        var bad = new[] { 777, 5_000, 9_999 };
        var input = Input(10_000, i => bad.Contains(i) ? "maybe" : i % 3 == 0 ? "no" : "yes");
        var output = _harness.Folder.File("out.csv");
        var where = "record.keep == \"yes\" ? true : (record.keep == \"no\" ? false : record.keep)";

        var report = await _harness.RunAsync(Pipeline(input, $"{{ name: Out, type: csv, path: \"{output}\" }}", where), new RunOptions { TransformWorkers = workers });

        // Then: those three are rejected in input order with their origins, every other record is filtered or written in order
        var operation = Assert.Single(report.Operations);
        Assert.Equal(OperationStatus.Succeeded, operation.Status);
        var kept = Enumerable.Range(1, 10_000).Where(i => !bad.Contains(i) && i % 3 != 0).ToList();
        Assert.Equal((10_000, 10_000 - kept.Count - bad.Length, kept.Count, 0, bad.Length), Counts(operation.Counts));
        var rejects = File.ReadAllLines(operation.RejectsFile!).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(bad.Select(i => $"in.csv:{i + 1}"), rejects.Select(r => r.GetProperty("origin").GetString()));
        Assert.All(rejects, r => Assert.Equal("transform_error", r.GetProperty("code").GetString()));
        Assert.Equal(kept.Select(i => $"{i},user{i}@example.com"), File.ReadAllLines(output).Skip(1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Run_MaxRejectsPassedMidStream_StopsAtTheRejectThatPassesItAndAccountsForEveryRecord(int workers)
    {
        // Given: every 100th row fails the where, max_rejects 5: the 6th failure (row 600) passes the limit
        var input = Input(50_000, i => i % 100 == 0 ? "maybe" : "yes");
        var database = _harness.Folder.File("out.db");
        var where = "record.keep == \"yes\" ? true : (record.keep == \"no\" ? false : record.keep)";

        var report = await _harness.RunAsync(
            Pipeline(input, $"{{ name: Out, type: sqlite, database: \"{database}\" }}", where, ", max_rejects: 5"),
            new RunOptions { StateDirectory = _harness.Folder.File(".etl"), TransformWorkers = workers });

        // Then: exactly the first six failures are transform errors, as with one transform; the rest of what was read is
        // rejected as unfinished, and what was written is in the table
        var operation = Assert.Single(report.Operations);
        Assert.Equal(OperationStatus.Failed, operation.Status);
        Assert.Equal(StopCause.RejectLimit, operation.StoppedBy);
        Assert.True(operation.Counts.Balanced);
        var rejects = File.ReadAllLines(operation.RejectsFile!).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(operation.Counts.Rejected, rejects.Count);
        var errors = rejects.Where(r => r.GetProperty("code").GetString() == "transform_error").Select(r => r.GetProperty("origin").GetString());
        Assert.Equal(Enumerable.Range(1, 6).Select(k => $"in.csv:{(k * 100) + 1}"), errors);
        Assert.Equal(operation.Counts.Written, (long)SqliteFile.Scalar(database, "SELECT count(*) FROM contacts")!);
        Assert.True(operation.Counts.Written <= 594, $"wrote {operation.Counts.Written}: records after the 6th failure were written");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Run_CancelledWhileTransforming_EndsCancelledWithEveryRecordAccountedFor(int workers)
    {
        var input = Input(300_000);
        var database = _harness.Folder.File("out.db");
        using var cancel = new CancellationTokenSource();
        var observer = new CancelAfterRead(cancel, 20_000);

        var report = await _harness.RunAsync(
            Pipeline(input, $"{{ name: Out, type: sqlite, database: \"{database}\" }}"),
            new RunOptions { StateDirectory = _harness.Folder.File(".etl"), Observer = observer, TransformWorkers = workers },
            cancel.Token);

        var operation = Assert.Single(report.Operations);
        Assert.Equal(OperationStatus.Cancelled, operation.Status);
        Assert.True(operation.Counts.Balanced);
        Assert.True(operation.Counts.Read < 300_000, $"read {operation.Counts.Read}: the run was not cancelled while it ran");
        var rejected = operation.RejectsFile is { } rejects && File.Exists(rejects) ? File.ReadAllLines(rejects).Length : 0;
        Assert.Equal(operation.Counts.Rejected, rejected);
        Assert.Equal(operation.Counts.Written, (long)SqliteFile.Scalar(database, "SELECT count(*) FROM contacts")!);
        var ids = SqliteFile.Rows(database, "SELECT id FROM contacts ORDER BY rowid").Select(r => Convert.ToInt32(r[0], CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(1, 300_000).Where(i => i % 3 != 0).Take((int)operation.Counts.Written), ids);
    }

    public void Dispose() => _harness.Dispose();

    /// <summary>read, filtered, written, skipped, rejected.</summary>
    private static (long, long, long, long, long) Counts(OperationCounts counts) => (counts.Read, counts.Filtered, counts.Written, counts.Skipped, counts.Rejected);

    /// <summary>Cancels the run once the operation has read <paramref name="read"/> records (watched on a thread of its own, with a deadline).</summary>
    private sealed class CancelAfterRead(CancellationTokenSource cancel, long read) : IRunObserver
    {
        public void OperationStarted(OperationPlan plan, OperationStats stats, string? chainedFrom) =>
            _ = Task.Run(async () =>
            {
                var watch = Stopwatch.StartNew();
                while (stats.Read < read && watch.Elapsed < TimeSpan.FromSeconds(60))
                {
                    await Task.Delay(1);
                }

                await cancel.CancelAsync();
            });

        public void OperationFinished(OperationResult result)
        {
        }
    }
}
