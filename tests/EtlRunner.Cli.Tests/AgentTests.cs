using System.Diagnostics;
using System.Globalization;
using System.Text;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// Real <c>etl agent</c> processes on a schedule that fires every 2 seconds (6-field cron): scheduled runs happen and
/// record their fire times, SIGTERM stops the agent cleanly, a second agent on the same state folder is refused, and
/// an agent killed with SIGKILL mid-run resumes that run, for its fire time, when it is started again.
/// </summary>
[Collection(AgentTests.Collection)]
public sealed class AgentTests : IDisposable
{
    /// <summary>The agent tests run one at a time: they watch fire times, which a machine busy with another agent's long load shifts.</summary>
    public const string Collection = "agents";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly TempFolder _folder = new();

    private string StateDatabase => _folder.File(".etl/state.db");

    private string Warehouse => _folder.File("warehouse.db");

    private static string Pipeline(string options = "batch_size: 500", string misfire = "run_once", string overlap = "skip") => $$$"""
        project: ticks
        connections:
          - { name: Signups, type: csv, path: signups.csv }
          - { name: Warehouse, type: sqlite, database: warehouse.db }
        operations:
          - name: Load
            source: { connection: Signups, activity: query }
            transform:
              map:
                email: "{{ record.email }}"
                schedule: "{{ system.schedule.name }}"
                fire_time: "{{ system.schedule.fire_time }}"
            target: { connection: Warehouse, activity: create, table: contacts, create_table: true, key: [email, fire_time] }
            options: { {{{options}}} }
        schedules:
          - { name: every-2s, cron: "*/2 * * * * *", misfire: {{{misfire}}}, overlap: {{{overlap}}} }
        """;

    private void WriteSignups(int rows) => WriteSignups(_folder, rows);

    internal static void WriteSignups(TempFolder folder, int rows)
    {
        var csv = new StringBuilder("email\n");
        for (var i = 1; i <= rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"user{i}@example.com\n");
        }

        folder.Write("signups.csv", csv.ToString());
    }

    internal static Process StartAgent(params string[] arguments)
    {
        var process = Process.Start(ResumeTests.EtlProcess(["agent", .. arguments]))!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    internal static (Process Process, StringBuilder Error) StartAgentCapturing(params string[] arguments)
    {
        var error = new StringBuilder();
        var process = Process.Start(ResumeTests.EtlProcess(["agent", .. arguments]))!;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (error)
            {
                error.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return (process, error);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, Process process, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(process.HasExited, $"the agent exited (code {(process.HasExited ? process.ExitCode : 0)}) before {what}");
            Assert.True(deadline.Elapsed < Patience, $"gave up waiting for {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGTERM, as systemd or docker stop send it.</summary>
    internal static async Task TerminateAsync(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(Patience);
    }

    /// <summary>The runs recorded so far (none while the agent has not created the state database yet).</summary>
    private List<object?[]> Runs(string where = "1 = 1") => File.Exists(StateDatabase) && SqliteFile.Scalar(StateDatabase, "SELECT name FROM sqlite_master WHERE name = 'runs'") is not null
        ? SqliteFile.Rows(StateDatabase, $"SELECT run_id, status, schedule, fire_time FROM runs WHERE {where} ORDER BY start_time")
        : [];

    [Fact]
    public async Task Agent_ScheduleEveryTwoSeconds_RunsRecordTheirFireTimesAndSigtermStopsCleanly()
    {
        // Given
        WriteSignups(3);
        _folder.Write("ticks.yaml", Pipeline());
        using var agent = StartAgent(_folder.Path, "--name", "test-agent");

        // When: three scheduled runs have succeeded, the agent is sent SIGTERM
        await WaitUntilAsync(() => Runs("status = 'success'").Count >= 3, agent, "three scheduled runs");
        await TerminateAsync(agent);

        // Then: it exits 0; every run is a scheduled one, for a distinct whole-second UTC fire time 2 s apart, and
        // the fire time reached the records through system.schedule.*
        Assert.Equal(0, agent.ExitCode);
        var runs = Runs();
        Assert.All(runs, r => Assert.Equal(("success", "every-2s"), ((string)r[1]!, (string)r[2]!)));
        var fires = runs.Select(r => DateTimeOffset.ParseExact((string)r[3]!, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)).ToList();
        Assert.Equal(fires.Count, fires.Distinct().Count());
        Assert.All(fires, f => Assert.Equal(0, f.Second % 2));
        var stored = SqliteFile.Rows(Warehouse, "SELECT DISTINCT schedule, fire_time FROM contacts ORDER BY fire_time").Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
        Assert.Equal(runs.Select(r => ("every-2s", (string)r[3]!)), stored);
        Assert.Equal(3L * runs.Count, (long)SqliteFile.Scalar(Warehouse, "SELECT count(*) FROM contacts")!);
        var history = await Cli.RunAsync(["history", "--state-dir", _folder.File(".etl"), "--output", "json"]);
        using var json = System.Text.Json.JsonDocument.Parse(history.Out);
        Assert.Equal(
            runs.Select(r => ((string?)r[0], (string?)"every-2s", (string?)r[3])).Reverse(),
            json.RootElement.EnumerateArray().Select(e => (e.GetProperty("run_id").GetString(), e.GetProperty("schedule").GetString(), e.GetProperty("fire_time").GetString())));
    }

    [Fact]
    public async Task Agent_SecondAgentOnTheSameStateFolder_IsRefused()
    {
        // Given: an agent is running
        WriteSignups(1);
        _folder.Write("ticks.yaml", Pipeline());
        using var first = StartAgent(_folder.Path);
        await WaitUntilAsync(() => File.Exists(_folder.File(".etl/schedule.db")), first, "the first agent's schedule store");

        // When
        var second = await Cli.RunAsync(["agent", _folder.Path]);

        // Then
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains("another agent uses the state folder", second.Error, StringComparison.Ordinal);
        Assert.False(first.HasExited);
        await TerminateAsync(first);
    }

    [Fact]
    public async Task Agent_InvalidPipelineUnderPath_RefusesToStartWithTheUsualPositions()
    {
        _folder.Write("ticks.yaml", Pipeline().Replace("*/2 * * * * *", "*/2 * * *", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["agent", _folder.Path]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{_folder.File("ticks.yaml")}:16:", result.Error, StringComparison.Ordinal);
        Assert.Contains("schedule 'every-2s': cron '*/2 * * *' has 4 field(s)", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File(".etl/schedule.db")));
    }

    [Fact]
    public async Task Agent_KilledMidRunThenStartedAgain_ResumesTheInterruptedRunForItsFireTime()
    {
        // Given: a long load (small batches) started by the schedule, and the agent killed (SIGKILL) part of the way
        const int Rows = 20_000;
        WriteSignups(Rows);
        _folder.Write("ticks.yaml", Pipeline("batch_size: 2", misfire: "skip"));
        using (var first = StartAgent(_folder.Path))
        {
            await WaitUntilAsync(() => File.Exists(Warehouse + "-wal") && new FileInfo(Warehouse + "-wal").Length >= 500_000, first, "the load to be under way");
            first.Kill(); // SIGKILL
            await first.WaitForExitAsync();
        }

        var interrupted = Assert.Single(Runs());
        Assert.Equal("running", interrupted[1]);
        var partial = (long)SqliteFile.Scalar(Warehouse, "SELECT count(*) FROM contacts")!;

        // When: the agent is started again
        var (second, secondLog) = StartAgentCapturing(_folder.Path);
        using (second)
        {
            await WaitUntilAsync(() => Runs($"run_id = '{interrupted[0]}' AND status = 'success'").Count == 1, second, "the interrupted run to finish");
            await WaitUntilAsync(() => Text(secondLog).Contains($"run {interrupted[0]} succeeded", StringComparison.Ordinal), second, "the agent to log the run's outcome");
            second.Kill();
            await second.WaitForExitAsync();
        }

        // Then: the same run, for the same fire time, finished the load: every row of that fire exactly once
        var resumed = Runs($"run_id = '{interrupted[0]}'").Single();
        Assert.Equal(interrupted[3], resumed[3]);
        Assert.InRange(partial, 1, Rows - 1);
        Assert.Equal((long)Rows, (long)SqliteFile.Scalar(Warehouse, $"SELECT count(*) FROM contacts WHERE fire_time = '{interrupted[3]}'")!);
        Assert.Contains("recovering the fire a stopped agent had started", Text(secondLog), StringComparison.Ordinal);
        Assert.Contains($"run {interrupted[0]} succeeded (resumed an interrupted run)", Text(secondLog), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("skip")]
    [InlineData("queue")]
    public async Task Agent_FireWhileTheScheduledRunIsStillGoing_IsSkippedOrQueuedAsOverlapSays(string overlap)
    {
        // Given: runs that last several fire times (60,000 rows in batches of 2: several seconds even on a fast machine)
        WriteSignups(60_000);
        _folder.Write("ticks.yaml", Pipeline("batch_size: 2", overlap: overlap));
        using var agent = StartAgent(_folder.Path);

        // When: two runs have succeeded
        await WaitUntilAsync(() => Runs("status = 'success'").Count >= 2, agent, "two scheduled runs");
        agent.Kill();
        await agent.WaitForExitAsync();

        // Then: runs never overlap, and none was refused by the pipeline's run lock; with skip, no run is for a fire
        // time that passed while the one before it went; with queue, the second is for such a fire time
        var runs = SqliteFile.Rows(StateDatabase, "SELECT start_time, end_time, fire_time, status FROM runs WHERE status = 'success' ORDER BY start_time")
            .Select(r => (Start: Time((string)r[0]!), End: Time((string)r[1]!), Fire: Time((string)r[2]!)))
            .ToList();
        Assert.Empty(Runs("status NOT IN ('success', 'running')"));
        Assert.True(runs[1].Start >= runs[0].End, $"the second run started at {runs[1].Start:o}, before the first ended at {runs[0].End:o}");
        Assert.True(runs[0].End - runs[0].Start > TimeSpan.FromSeconds(2), "the first run was too short to overlap a fire time");
        if (overlap == "skip")
        {
            Assert.True(runs[1].Fire >= runs[0].End.AddSeconds(-1), $"the second run is for {runs[1].Fire:o}, a fire time during the first run ({runs[0].Start:o} to {runs[0].End:o})");
        }
        else
        {
            Assert.True(runs[1].Fire < runs[0].End.AddSeconds(-1), $"the second run is for {runs[1].Fire:o}, not a fire time queued during the first run ({runs[0].Start:o} to {runs[0].End:o})");
        }
    }

    [Theory]
    [InlineData("run_once", 1)]
    [InlineData("skip", 0)]
    public async Task Agent_RestartedAfterMissingFireTimes_RunsOnceForThemOrSkipsThemAsMisfireSays(string misfire, int catchUpRuns)
    {
        // Given: the agent ran the schedule, then was stopped for longer than the misfire threshold (several fire times)
        WriteSignups(1);
        _folder.Write("ticks.yaml", Pipeline(misfire: misfire));
        using (var first = StartAgent(_folder.Path))
        {
            await WaitUntilAsync(() => Runs("status = 'success'").Count >= 1, first, "a first scheduled run");
            await TerminateAsync(first);
        }

        await Task.Delay(TimeSpan.FromSeconds(8));
        var restart = DateTimeOffset.UtcNow;
        var before = Runs().Count;

        // When: it is started again and has run the schedule on time at least once
        var (second, secondLog) = StartAgentCapturing(_folder.Path);
        using var _ = second;
        await WaitUntilAsync(() => Runs().Skip(before).Any(r => Time((string)r[3]!) >= restart && (string)r[1]! == "success"), second, "a run on time after the restart");
        await TerminateAsync(second);

        // Then: run_once made one run for the fire times missed while it was down (for the first of them); skip none
        var caughtUp = Runs().Skip(before).Where(r => Time((string)r[3]!) < restart).ToList();
        Assert.True(catchUpRuns == caughtUp.Count, $"restarted at {restart:o} after {before} run(s); runs: {string.Join("; ", Runs().Select(r => $"{r[1]} fire {r[3]}"))}; the restarted agent said: {Text(secondLog)}");
        Assert.All(caughtUp, r => Assert.Equal("success", r[1]));
    }

    [Fact]
    public async Task Agent_StoredScheduleInQuartzErrorState_PutsItBackAndRunsIt()
    {
        // Given: a schedule store whose trigger Quartz set to ERROR (as a job type it could not resolve leaves it)
        WriteSignups(1);
        _folder.Write("ticks.yaml", Pipeline());
        using (var first = StartAgent(_folder.Path))
        {
            await WaitUntilAsync(() => Runs("status = 'success'").Count >= 1, first, "a first scheduled run");
            await TerminateAsync(first);
        }

        SqliteFile.Execute(_folder.File(".etl/schedule.db"), "UPDATE QRTZ_TRIGGERS SET TRIGGER_STATE = 'ERROR'");
        var restart = DateTimeOffset.UtcNow;

        // When: the agent starts on that store, the schedule unchanged in the file
        var (second, secondLog) = StartAgentCapturing(_folder.Path);
        using var _ = second;
        await WaitUntilAsync(() => Runs().Any(r => Time((string)r[3]!) >= restart && (string)r[1]! == "success"), second, "a run after the restart");
        await TerminateAsync(second);

        // Then: it said so, and the trigger is waiting again
        Assert.Contains("was in Quartz's ERROR state", Text(secondLog), StringComparison.Ordinal);
        Assert.Equal("WAITING", SqliteFile.Scalar(_folder.File(".etl/schedule.db"), "SELECT TRIGGER_STATE FROM QRTZ_TRIGGERS"));
    }

    internal static string Text(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public void Dispose() => _folder.Dispose();
}
