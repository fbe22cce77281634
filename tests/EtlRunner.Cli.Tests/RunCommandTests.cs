using System.Text.Json;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Quickstart()
    {
        Cli.CopyFolder("pipelines", _folder.Path);
        Cli.CopyFolder("examples", _folder.Path);
        return Path.Combine(_folder.Path, "pipelines", "quickstart.yaml");
    }

    [Fact]
    public async Task Run_OutputJson_StdoutIsOnlyJsonWithExactCounts()
    {
        Cli.CopyFolder("examples", _folder.Path);
        var example = Path.Combine(_folder.Path, "examples", "sqlite-update-delete", "pipeline.yaml");

        var result = await Cli.RunAsync(["run", example, "--output", "json"]);

        using var json = JsonDocument.Parse(result.Out);
        var load = json.RootElement.GetProperty("operations")[0];
        Assert.Equal("succeeded", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(16, load.GetProperty("read").GetInt32());
        Assert.Equal(1, load.GetProperty("filtered").GetInt32());
        Assert.Equal(14, load.GetProperty("written").GetInt32());
        Assert.Equal(1, load.GetProperty("rejected").GetInt32());
        Assert.True(File.Exists(load.GetProperty("rejects_file").GetString()));
    }

    [Fact]
    public async Task Run_Quiet_PrintsOnlyTheSummary()
    {
        var result = await Cli.RunAsync(["run", Quickstart(), "--sandbox", "--quiet"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        Assert.Contains("Mirror to warehouse", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InvalidFile_Exits2WithFileLineAndColumn()
    {
        var file = _folder.Write("bad.yaml", "project: x\nconnections:\n  - name: a\n    type: sqllite\n    database: x.db\noperations: []\n");

        var result = await Cli.RunAsync(["run", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{file}:4:11: unknown connector type 'sqllite' (did you mean 'sqlite'?). Known types:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UndefinedVariable_Exits2AndWritesNothing()
    {
        var yaml = File.ReadAllText(Quickstart()).Replace("\"[data_dir]/signups.csv\"", "\"[data_dri]/signups.csv\"", StringComparison.Ordinal);
        var file = _folder.Write("pipelines/typo.yaml", yaml);

        var result = await Cli.RunAsync(["run", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("undefined variable 'data_dri' (searched global, project and system variables) (did you mean 'data_dir'?)", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "out")));
    }

    [Fact]
    public async Task Run_OperationFails_Exits1AndSaysWhy()
    {
        var file = _folder.Write("fail.yaml", """
            project: x
            connections:
              - { name: In, type: csv, path: missing.csv }
              - { name: Out, type: csv, path: out.csv }
            operations:
              - name: Copy
                source: { connection: In, activity: query }
                target: { connection: Out, activity: create }
            """);

        var result = await Cli.RunAsync(["run", file]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Copy failed:", result.Out, StringComparison.Ordinal);
        Assert.Contains("missing.csv", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Cancelled_Exits130AndAccountsForEveryRecord()
    {
        var file = await BigLoadAsync();
        using var cancel = CancelOnceWriting();

        var result = await Cli.RunAsync(["run", file, "--output", "json"], cancellationToken: cancel.Token);

        Assert.Equal(130, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var load = json.RootElement.GetProperty("operations")[0];
        Assert.Equal("cancelled", load.GetProperty("status").GetString());
        var read = load.GetProperty("read").GetInt64();
        Assert.True(read < 1_500_000, "cancellation must stop the read");
        Assert.Equal(read, load.GetProperty("written").GetInt64() + load.GetProperty("rejected").GetInt64() + load.GetProperty("filtered").GetInt64());
    }

    [Fact]
    public async Task Run_Cancelled_SummarySaysHowManyWereNeverReadToRunAgainAndThatOnlyTheRejectsNeedReplay()
    {
        var file = await BigLoadAsync();
        using var cancel = CancelOnceWriting();

        var result = await Cli.RunAsync(["run", file], cancellationToken: cancel.Token);

        Assert.True(result.ExitCode == 130, result.ToString());
        var said = Cli.Unwrapped(result.Out);
        // How much was never read is known once the CSV has reported its position (every few kilobytes), else unknown.
        var cancelled = System.Text.RegularExpressions.Regex.Match(said, @"Load was cancelled: (about (?<unread>[0-9,]+) record\(s\) of its source \((?<share>[0-9.]+)%\) were never read; run the pipeline again for them|the rest of its source was not read; run the pipeline again for it) \(it resumes: the ledger keeps what was written from being written again\); only the (?<rejected>[0-9,]+) record\(s\) in its rejects file need etl replay");
        Assert.True(cancelled.Success, result.ToString());
        var rejects = System.Text.RegularExpressions.Regex.Match(said, @"Load: ([0-9,]+) rejected record\(s\) in (\S+)");
        Assert.Equal(rejects.Groups[1].Value, cancelled.Groups["rejected"].Value);
        Assert.Equal(Count(rejects.Groups[1].Value), File.ReadLines(rejects.Groups[2].Value).LongCount());
        if (cancelled.Groups["unread"].Success)
        {
            Assert.True(Count(cancelled.Groups["unread"].Value) > 0, result.ToString());
            Assert.InRange(double.Parse(cancelled.Groups["share"].Value, System.Globalization.CultureInfo.InvariantCulture), 0.1, 100);
        }
    }

    private static long Count(string text) => long.Parse(text, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Run_EachExample_Succeeds()
    {
        Cli.CopyFolder("examples", _folder.Path);
        var examples = Directory.GetFiles(Path.Combine(_folder.Path, "examples"), "pipeline.yaml", SearchOption.AllDirectories);

        Assert.NotEmpty(examples);
        foreach (var example in examples)
        {
            var result = await Cli.RunAsync(["run", example, "--output", "json"]);
            Assert.True(result.ExitCode == 0, example + "\n" + result);
        }
    }

    [Fact]
    public async Task Run_DryRunExample_CreatesNoOutput()
    {
        Cli.CopyFolder("examples", _folder.Path);
        var example = Path.Combine(_folder.Path, "examples", "dry-run", "pipeline.yaml");

        var result = await Cli.RunAsync(["run", example, "--dry-run"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"│ +Would +│ +Would +│ +Would +│ +Would +│ +Would +│ +Unchanged +│ +Would +│", result.Out);
        Assert.Matches(@"│ +write +│ +create +│ +update +│ +delete +│ +skip +│ +│ +reject +│", result.Out);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "examples", "dry-run", "out")));
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>A pipeline loading 1,500,000 CSV rows into SQLite: long enough to be cancelled while it runs.</summary>
    private async Task<string> BigLoadAsync()
    {
        await File.WriteAllLinesAsync(_folder.File("big.csv"), ["id,name", .. Enumerable.Range(0, 1_500_000).Select(i => $"{i},name{i}")]);
        return _folder.Write("big.yaml", """
            project: big
            connections:
              - { name: In, type: csv, path: big.csv }
              - { name: Db, type: sqlite, database: big.db }
            operations:
              - name: Load
                source: { connection: In, activity: query }
                transform: { map: { id: "{{ record.id }}", upper: "{{ record.name | string.upcase }}" } }
                target: { connection: Db, activity: create, table: t, create_table: true }
            """);
    }

    /// <summary>Cancelled once the load is under way (its database's WAL holds 200 KB), however slow the machine is to get there.</summary>
    private CancellationTokenSource CancelOnceWriting()
    {
        var cancel = new CancellationTokenSource();
        var wal = _folder.File("big.db-wal");
        _ = Task.Run(async () =>
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!(File.Exists(wal) && new FileInfo(wal).Length > 200_000) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            try
            {
                await cancel.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // the test already ended
            }
        });
        return cancel;
    }

}
