using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// A chain of two operations (First: a CSV into SQLite t1, on_success Second: a CSV into t2), run by a real <c>etl</c>
/// process that is killed (SIGKILL) part-way, then run again: the interrupted run is resumed, not restarted.
/// </summary>
public sealed class ChainResumeTests : IDisposable
{
    private const int Rows = 20_000;

    private readonly TempFolder _folder = new();
    private readonly string _pipeline;
    private readonly string _database;

    public ChainResumeTests()
    {
        _pipeline = _folder.File("chain.yaml");
        _database = _folder.File("out.db");
        var csv = new StringBuilder("id,name\n");
        for (var i = 1; i <= Rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},name{i}\n");
        }

        _folder.Write("a.csv", csv.ToString());
        _folder.Write("b.csv", csv.ToString());
    }

    /// <summary>
    /// The chain; <paramref name="firstKey"/> and <paramref name="secondTarget"/> are the targets' extra keys. The rows carry
    /// the run id and a global First sets, unless <paramref name="sameRowsEveryRun"/>. Second writes small batches, so it
    /// runs long enough to be killed.
    /// </summary>
    private void WritePipeline(string firstKey = "", string secondTarget = "key: [id]", bool sameRowsEveryRun = false)
    {
        var runFields = sameRowsEveryRun ? string.Empty : ", run: \"{{ system.run.id }}\"";
        var globalField = sameRowsEveryRun ? string.Empty : ", first_started: \"{{ first_started }}\"";
        File.WriteAllText(_pipeline, $$$"""
        project: chain
        connections:
          - { name: A, type: csv, path: a.csv }
          - { name: B, type: csv, path: b.csv }
          - { name: Db, type: sqlite, database: out.db }
        operations:
          - name: First
            source: { connection: A, activity: query }
            transform:
              map: { id: "{{ record.id }}", name: "{{ record.name }}"{{{runFields}}} }
            target: { connection: Db, activity: create, table: t1, create_table: true {{{firstKey}}} }
            set: { first_started: "{{ system.operation.start_time }}" }
            on_success: Second
          - name: Second
            source: { connection: B, activity: query }
            transform:
              map: { id: "{{ record.id }}", name: "{{ record.name }}"{{{runFields}}}{{{globalField}}} }
            target: { connection: Db, activity: create, table: t2, create_table: true, {{{secondTarget}}} }
            options: { batch_size: 20 }
        """);
    }

    private long Count(string sql) => SqliteFile.Scalar(_database, sql) is long n ? n : 0;

    private long CountSafely(string table)
    {
        try
        {
            return Count($"SELECT count(*) FROM {table}");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // not created yet
        }
    }

    /// <summary>Runs <c>etl run</c> in its own process, which kills itself (SIGKILL) once Second confirmed its 60th batch of t2.</summary>
    private async Task KillDuringSecondAsync()
    {
        var start = ResumeTests.EtlProcess(["run", _pipeline, "--quiet"]);
        start.Environment["ETL_TEST_CRASH_AT"] = "after-batch:Second:60";
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        Assert.Equal(137, process.ExitCode); // killed, not finished
        Assert.Equal(Rows, Count("SELECT count(*) FROM t1"));
        Assert.InRange(Count("SELECT count(*) FROM t2"), 1_000, Rows - 1);
    }

    private static JsonElement Json(CliResult result)
    {
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.Clone();
    }

    private static JsonElement Operation(JsonElement report, string name) =>
        report.GetProperty("operations").EnumerateArray().Single(o => o.GetProperty("name").GetString() == name);

    /// <summary>The rerun resumed the killed run: First not run again, Second completed, one run id everywhere, globals kept.</summary>
    private void AssertResumed(CliResult rerun)
    {
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        var report = Json(rerun);
        var runId = (string)SqliteFile.Scalar(_database, "SELECT DISTINCT run FROM t1")!;
        Assert.Equal(runId, report.GetProperty("run_id").GetString());
        Assert.Equal(runId, report.GetProperty("resumed").GetProperty("run_id").GetString());
        Assert.Equal("Second", report.GetProperty("resumed").GetProperty("operation").GetString());
        Assert.Contains($"resuming run {runId} interrupted at ", rerun.Error, StringComparison.Ordinal);
        Assert.Contains(", operation Second", rerun.Error, StringComparison.Ordinal);
        Assert.True(Operation(report, "First").GetProperty("from_interrupted_run").GetBoolean());
        var second = Operation(report, "Second");
        Assert.Equal("success", second.GetProperty("status").GetString());
        Assert.Equal((long)Rows, second.GetProperty("read").GetInt64());
        Assert.Equal(0, second.GetProperty("rejected").GetInt64());

        Assert.Equal(Rows, Count("SELECT count(*) FROM t1"));
        Assert.Equal(Rows, Count("SELECT count(*) FROM t2"));
        Assert.Equal(Rows, Count("SELECT count(DISTINCT id) FROM t2"));
        Assert.Equal([runId], SqliteFile.Rows(_database, "SELECT DISTINCT run FROM t1 UNION SELECT DISTINCT run FROM t2").Select(r => (string)r[0]!));
        Assert.Equal(1, Count("SELECT count(DISTINCT first_started) FROM t2")); // the global First set, kept across the kill
    }

    [Fact]
    public async Task Run_KilledDuringTheSecondOperation_NextRunResumesWithoutRunningTheFirstAgain()
    {
        WritePipeline(); // t1 keyless: running First again would double it
        await KillDuringSecondAsync();

        var rerun = await Cli.RunAsync(["run", _pipeline, "--output", "json"]);

        AssertResumed(rerun);
    }

    [Fact]
    public async Task Run_KilledDuringTheSecondOperationOfAKeyedChain_NextRunResumesAndFinishes()
    {
        WritePipeline(firstKey: ", key: [id]"); // keyed, on_conflict fail: running First again would reject every row
        await KillDuringSecondAsync();

        var rerun = await Cli.RunAsync(["run", _pipeline, "--output", "json"]);

        AssertResumed(rerun);
    }

    [Fact]
    public async Task Run_CancelledDuringTheSecondOperation_NextRunResumesIt()
    {
        // Given: Ctrl+C (the command's cancellation) while Second writes
        WritePipeline();
        using var cancel = new CancellationTokenSource();
        var running = Cli.RunAsync(["run", _pipeline, "--quiet"], cancellationToken: cancel.Token);
        while (CountSafely("t2") < 1_000 && !running.IsCompleted)
        {
            await Task.Delay(10);
        }

        await cancel.CancelAsync();
        var cancelled = await running;
        Assert.True(cancelled.ExitCode == 130, cancelled.ToString());
        Assert.InRange(Count("SELECT count(*) FROM t2"), 1_000, Rows - 1);

        // When
        var rerun = await Cli.RunAsync(["run", _pipeline, "--output", "json"]);

        // Then
        AssertResumed(rerun);
    }

    [Fact]
    public async Task Run_GlobalHoldingASecret_IsNeverStoredAndIsComputedAgainOnResume()
    {
        // Given: First sets a global from a secret variable; Second checks it on every row
        const string Secret = "s3cr3t-token-4f9a";
        WritePipeline();
        File.WriteAllText(_pipeline, File.ReadAllText(_pipeline)
            .Replace("project: chain\n", "project: chain\nvariables:\n  api_token: { secret: true }\n", StringComparison.Ordinal)
            .Replace("set: { first_started: \"{{ system.operation.start_time }}\" }", "set: { first_started: \"{{ system.operation.start_time }}\", token: \"{{ api_token }}\" }", StringComparison.Ordinal)
            .Replace("first_started: \"{{ first_started }}\" }", "first_started: \"{{ first_started }}\", token_ok: \"{{ token == api_token }}\" }", StringComparison.Ordinal));
        Assert.Contains("token_ok", File.ReadAllText(_pipeline), StringComparison.Ordinal);
        var start = ResumeTests.EtlProcess(["run", _pipeline, "--quiet"]);
        start.Environment["ETL_VAR_API_TOKEN"] = Secret;
        using (var process = Process.Start(start)!)
        {
            while (CountSafely("t2") < 1_000 && !process.HasExited)
            {
                await Task.Delay(10);
            }

            Assert.False(process.HasExited, "the run ended before it could be killed");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        // When
        var rerun = await Cli.RunAsync(["run", _pipeline, "--output", "json"], name => name == "ETL_VAR_API_TOKEN" ? Secret : null);

        // Then: the resumed Second saw the global (computed again), and no state file holds the secret
        AssertResumed(rerun);
        Assert.Equal([1L], SqliteFile.Rows(_database, "SELECT DISTINCT token_ok FROM t2").Select(r => r[0]));
        foreach (var file in Directory.GetFiles(_folder.File(".etl"), "*", SearchOption.AllDirectories))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Secret)) < 0, $"{file} holds the secret");
        }
    }

    [Fact]
    public async Task Run_AnotherOperationWhileARunIsInterrupted_IsRefusedAndSaysToUseFresh()
    {
        WritePipeline();
        await KillDuringSecondAsync();
        var written = Count("SELECT count(*) FROM t2");

        var other = await Cli.RunAsync(["run", _pipeline, "--operation", "Second"]);

        Assert.True(other.ExitCode == 1, other.ToString());
        Assert.Contains("was interrupted; resume it with the same command (without --operation), or give it up with --fresh", other.Error, StringComparison.Ordinal);
        Assert.Equal(written, Count("SELECT count(*) FROM t2"));
        AssertResumed(await Cli.RunAsync(["run", _pipeline, "--output", "json"])); // still resumable
    }

    [Fact]
    public async Task Run_Fresh_AbandonsTheInterruptedRunAndRecordsItInHistory()
    {
        WritePipeline(secondTarget: "key: [id], on_conflict: upsert");
        await KillDuringSecondAsync();
        var killedRun = (string)SqliteFile.Scalar(_database, "SELECT DISTINCT run FROM t1")!;

        var fresh = await Cli.RunAsync(["run", _pipeline, "--fresh", "--output", "json"]);

        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        var report = Json(fresh);
        Assert.NotEqual(killedRun, report.GetProperty("run_id").GetString());
        Assert.Equal(killedRun, report.GetProperty("abandoned_run_id").GetString());
        Assert.False(report.TryGetProperty("resumed", out _));
        Assert.Equal(2 * Rows, Count("SELECT count(*) FROM t1")); // First ran again: a new run, as asked
        Assert.Equal(Rows, Count("SELECT count(*) FROM t2"));
        var history = Json(await Cli.RunAsync(["history", _pipeline, "--output", "json"]));
        var abandoned = history.EnumerateArray().Single(e => e.GetProperty("status").GetString() == "abandoned");
        Assert.Equal(killedRun, abandoned.GetProperty("run_id").GetString());
        Assert.Equal("Second", abandoned.GetProperty("operation").GetString());
        Assert.Contains("--fresh", abandoned.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_KilledRightAfterTheFirstOperationFinished_NextRunDoesNotWriteItAgain()
    {
        // Given: a run that stops dead (SIGKILL) the moment First's end is recorded (test-only hook)
        WritePipeline();
        var start = ResumeTests.EtlProcess(["run", _pipeline, "--quiet"]);
        start.Environment["ETL_TEST_CRASH_AT"] = "after-operation";
        using (var process = Process.Start(start)!)
        {
            await process.WaitForExitAsync();
            Assert.Equal(137, process.ExitCode); // 128 + SIGKILL
        }

        Assert.Equal(Rows, Count("SELECT count(*) FROM t1"));
        Assert.Equal(0, CountSafely("t2"));

        // When
        var rerun = await Cli.RunAsync(["run", _pipeline, "--output", "json"]);

        // Then: First counts as done (its ledger cleared with its history row, in one transaction); Second runs
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        var report = Json(rerun);
        Assert.True(Operation(report, "First").GetProperty("from_interrupted_run").GetBoolean());
        Assert.Contains(", after operation First", report.GetProperty("resumed").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((long)Rows, Operation(report, "Second").GetProperty("written").GetInt64());
        Assert.Equal(Rows, Count("SELECT count(*) FROM t1"));
        Assert.Equal(Rows, Count("SELECT count(*) FROM t2"));
    }

    [Fact]
    public async Task Run_StateDatabaseDeletedAfterAKill_KeyedTargetsCountTheirRowsAsWrittenAndTheSummarySaysTheLedgerWasMissing()
    {
        // Given: a keyed chain killed during Second, then its state folder deleted
        WritePipeline(firstKey: ", key: [id]", sameRowsEveryRun: true);
        await KillDuringSecondAsync();
        foreach (var file in Directory.GetFiles(_folder.File(".etl"), "state.db*"))
        {
            File.Delete(file);
        }

        // When
        var rerun = await Cli.RunAsync(["run", _pipeline, "--output", "json"]);
        var text = await Cli.RunAsync(["run", _pipeline]);

        // Then: nothing is rejected as a conflict with the rows the killed run wrote; nothing is written twice
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        var report = Json(rerun);
        foreach (var name in new[] { "First", "Second" })
        {
            var operation = Operation(report, name);
            Assert.Equal(0, operation.GetProperty("rejected").GetInt64());
            Assert.Equal((long)Rows, operation.GetProperty("written").GetInt64() + operation.GetProperty("skipped").GetInt64());
            Assert.True(operation.GetProperty("ledger_missing").GetBoolean());
        }

        Assert.Equal((long)Rows, Operation(report, "First").GetProperty("skipped").GetInt64());
        Assert.Equal(Rows, Count("SELECT count(*) FROM t1"));
        Assert.Equal(Rows, Count("SELECT count(*) FROM t2"));
        Assert.DoesNotContain("ledger was missing", text.Out, StringComparison.Ordinal); // the state exists again: a normal run
    }

    [Fact]
    public async Task Run_GarbageStateDatabase_FailsNamingTheFileAndWhatToDo()
    {
        WritePipeline();
        var state = _folder.Write(".etl/state.db", "this is not a SQLite database, just some garbage bytes that fill the header page.\n");

        var text = await Cli.RunAsync(["run", _pipeline]);
        var json = await Cli.RunAsync(["run", _pipeline, "--output", "json"]);

        Assert.Equal(2, text.ExitCode);
        Assert.Contains(state + ": not a readable state database", text.Error, StringComparison.Ordinal);
        Assert.Contains("move it away", text.Error, StringComparison.Ordinal);
        Assert.Equal(2, json.ExitCode);
        var problem = Json(json).GetProperty("problems")[0];
        Assert.Equal(state, problem.GetProperty("file").GetString());
        Assert.Contains("etl state reset FILE --all", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, CountSafely("t1"));
    }

    [Fact]
    public async Task Run_TruncatedStateDatabase_FailsNamingTheFile_StateResetAllRecovers()
    {
        WritePipeline(sameRowsEveryRun: true); // without a ledger, a keyed target recognises only rows it already holds
        Assert.Equal(0, (await Cli.RunAsync(["run", _pipeline, "--quiet"])).ExitCode);
        var state = _folder.File(".etl/state.db");
        using (var file = new FileStream(state, FileMode.Open))
        {
            file.SetLength(file.Length / 3);
        }

        foreach (var wal in new[] { state + "-wal", state + "-shm" })
        {
            File.Delete(wal);
        }

        var broken = await Cli.RunAsync(["run", _pipeline, "--output", "json"]);
        var reset = await Cli.RunAsync(["state", "reset", _pipeline, "--all"]);
        var after = await Cli.RunAsync(["run", _pipeline, "--output", "json"]);

        Assert.True(broken.ExitCode == 2, broken.ToString());
        Assert.Equal(state, Json(broken).GetProperty("problems")[0].GetProperty("file").GetString());
        Assert.Equal(0, reset.ExitCode);
        Assert.True(after.ExitCode == 0, after.ToString());
    }

    public void Dispose() => _folder.Dispose();
}
