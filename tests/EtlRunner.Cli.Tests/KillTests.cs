using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// A real <c>etl</c> process killed with SIGKILL in the middle of a load, then the same command run again: the target
/// ends with every row exactly once, and every rejected record is in exactly one rejects file.
/// </summary>
public sealed class KillTests : IDisposable
{
    private const int Rows = 20_000;

    private readonly TempFolder _folder = new();

    private string Database => _folder.File("warehouse.db");

    private string[] RunArguments(string pipeline) => ["run", _folder.File(pipeline), "--output", "json", "--quiet"];

    private void WriteSignups(int rows, Func<int, string>? extra = null)
    {
        var csv = new StringBuilder("email,n,age\n");
        for (var i = 1; i <= rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"user{i}@example.com,{i},{extra?.Invoke(i) ?? "30"}\n");
        }

        _folder.Write("signups.csv", csv.ToString());
    }

    private const string RunDependentFields = """
        source_file: "signups-{{ system.run.id }}"
                loaded_at: "{{ date.now }}"
        """;

    private static string LoadPipeline(string key, string options, string extraFields = RunDependentFields) => $$$"""
        project: kills
        connections:
          - { name: Signups, type: csv, path: signups.csv }
          - { name: Warehouse, type: sqlite, database: warehouse.db }
        operations:
          - name: Load signups
            source: { connection: Signups, activity: query }
            transform:
              map:
                email: "{{ record.email }}"
                n: "{{ record.n | string.to_int }}"
                age: "{{ record.age | string.to_int }}"
                {{{extraFields}}}
            target: { connection: Warehouse, activity: create, table: contacts{{{key}}} }
            options: { {{{options}}} }
        """;

    /// <summary>Starts <c>etl</c> in its own process and kills it (SIGKILL) once <paramref name="ready"/> holds.</summary>
    private static async Task KillWhenAsync(string[] arguments, Func<bool> ready)
    {

        ready(); // compiled before the run starts: a run can take less than a second
        using var process = Process.Start(ResumeTests.EtlProcess(arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (!process.HasExited && !ready() && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(1);
        }

        var exitedEarly = process.HasExited;
        process.Kill(); // SIGKILL, at once (collecting a process tree first can take longer than the rest of the run)
        await process.WaitForExitAsync();
        Assert.False(exitedEarly, "the run ended before it could be killed:\n" + await output + await error);
    }

    /// <summary>
    /// How far the load has come, without touching the database the run writes (a reader can wait on the writer's
    /// locks for longer than the whole run): the size of its write-ahead log, which grows with every committed batch.
    /// </summary>
    private long LogBytes() => File.Exists(Database + "-wal") ? new FileInfo(Database + "-wal").Length : 0;

    private long CountRows() => (long)SqliteFile.Scalar(Database, "SELECT count(*) FROM contacts")!;

    private static JsonElement Operation(CliResult result)
    {
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty("operations")[0].Clone();
    }

    [Theory]
    [InlineData(", create_table: true, key: [email]")]
    [InlineData(", create_table: true")]
    public async Task Run_KilledMidLoadWhoseMapUsesTheRunIdAndTheClock_RerunWritesEveryRowExactlyOnce(string key)
    {
        // Given: a map that differs in every run (system.run.id, date.now), killed part of the way
        WriteSignups(Rows);
        _folder.Write("load.yaml", LoadPipeline(key, "batch_size: 2, max_rejects: 10"));
        await KillWhenAsync(RunArguments("load.yaml"), () => LogBytes() >= 500_000);
        var before = CountRows();

        // When
        var rerun = await Cli.RunAsync(RunArguments("load.yaml"));

        // Then: the batches the killed run confirmed are skipped, not written again nor refused as duplicates
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.InRange(before, 1, Rows - 1);
        Assert.Equal(Rows, (long)SqliteFile.Scalar(Database, "SELECT count(*) FROM contacts")!);
        Assert.Equal(Rows, (long)SqliteFile.Scalar(Database, "SELECT count(DISTINCT email) FROM contacts")!);
        var operation = Operation(rerun);
        Assert.Equal(0, operation.GetProperty("rejected").GetInt64());
        Assert.True(operation.GetProperty("skipped").GetInt64() >= before - 2, rerun.Out);
    }

    [Fact]
    public async Task Run_KilledWhileTheTargetRejectsRecords_EveryRejectIsInExactlyOneRejectsFileAndReplayReadsTheKilledRunsFile()
    {
        // Given: a CHECK constraint refuses every 7th row; the run is killed part of the way. (The key lets the rerun
        // recognise the rows of the batch in flight at the kill, which may have committed before it was confirmed.)
        WriteSignups(Rows, i => i % 7 == 0 ? "10" : "30");
        SqliteFile.Execute(Database, "CREATE TABLE contacts (email TEXT PRIMARY KEY, n INTEGER, age INTEGER CHECK (age >= 18))");
        _folder.Write("load.yaml", LoadPipeline(string.Empty, "batch_size: 200", extraFields: string.Empty));
        await KillWhenAsync(RunArguments("load.yaml"), () => LogBytes() >= 500_000);
        var killed = Assert.Single(Directory.GetFiles(_folder.File(".etl/rejects"), "*.jsonl", SearchOption.AllDirectories));

        // When: the killed run's file is replayed as it was left, then the load is run again
        var replay = await Cli.RunAsync(["replay", killed, "--pipeline", _folder.File("load.yaml"), "--output", "json", "--quiet"]);
        var rerun = await Cli.RunAsync(RunArguments("load.yaml"));

        // Then: replay read the file (its records are refused again by the constraint, so it fails: nothing landed) ...
        Assert.True(replay.ExitCode == 1, replay.ToString());
        var replayed = Operation(replay);
        Assert.StartsWith("every record that reached the target was rejected", replayed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(replayed.GetProperty("rejected").GetInt64() > 0, replay.ToString());
        Assert.Equal(0, replayed.GetProperty("written").GetInt64());

        // ... and the killed run's file and the rerun's hold every refused row exactly once
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(Rows - (Rows / 7), (long)SqliteFile.Scalar(Database, "SELECT count(DISTINCT email) FROM contacts")!);
        Assert.Equal(Rows - (Rows / 7), (long)SqliteFile.Scalar(Database, "SELECT count(*) FROM contacts")!);
        var replayRun = JsonDocument.Parse(replay.Out).RootElement.GetProperty("run_id").GetString()!;
        var origins = Directory.GetFiles(_folder.File(".etl/rejects"), "*.jsonl", SearchOption.AllDirectories)
            .Where(f => !f.Contains(replayRun, StringComparison.Ordinal))
            .SelectMany(File.ReadAllLines)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("origin").GetString()!)
            .ToList();
        var expected = Enumerable.Range(1, Rows).Where(i => i % 7 == 0).Select(i => string.Create(CultureInfo.InvariantCulture, $"signups.csv:{i + 1}"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), origins.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Run_KilledDuringACsvAppend_RerunLeavesEveryRowExactlyOnce()
    {
        // Given: 200,000 rows appended to a CSV file, killed a third of the way
        const int rows = 200_000;
        WriteSignups(rows);
        _folder.Write("append.yaml", """
            project: append
            connections:
              - { name: Signups, type: csv, path: signups.csv }
              - { name: Log, type: csv, path: out/log.csv }
            operations:
              - name: Append
                source: { connection: Signups, activity: query }
                target: { connection: Log, activity: create, mode: append }
            """);
        var log = _folder.File("out/log.csv");
        var full = new FileInfo(_folder.File("signups.csv")).Length;
        await KillWhenAsync(RunArguments("append.yaml"), () => File.Exists(log) && new FileInfo(log).Length >= full / 3);
        var before = File.ReadLines(log).Count() - 1;

        // When
        var rerun = await Cli.RunAsync(RunArguments("append.yaml"));

        // Then: what the killed run appended past its last confirmed batch was cut off before appending again
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.InRange(before, rows / 3, rows - 1);
        var lines = File.ReadAllLines(log);
        Assert.Equal("email,n,age", lines[0]);
        Assert.Equal(rows, lines.Length - 1);
        Assert.Equal(rows, lines.Skip(1).Distinct(StringComparer.Ordinal).Count());
        Assert.True(Operation(rerun).GetProperty("skipped").GetInt64() > 0, rerun.Out);
    }

    public void Dispose() => _folder.Dispose();
}
