using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EtlRunner.Testing;
using Xunit.Abstractions;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// Agent groups: two real <c>etl agent --cluster</c> processes on the tests' PostgreSQL share a schedule that fires
/// every 2 seconds. Each fire time runs once across the group; an agent killed (SIGKILL) or frozen (SIGSTOP) in the
/// middle of a long load is replaced by the other, which resumes the run through the write ledger, and the frozen
/// one's late writes are refused by the lease's fencing token when it wakes.
/// </summary>
[Collection(AgentTests.Collection)]
public sealed class AgentGroupTests(ITestOutputHelper output) : IDisposable
{
    private const int LongLoad = 200_000;

    private readonly TempFolder _folder = new();
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Each test is a group and a project of its own in the shared database.</summary>
    private string Project => "ticks" + _id;

    private string PipelineId => Project + ":ticks.yaml";

    private string Warehouse => _folder.File("warehouse.db");

    private string Pipeline(string options) => $$$"""
        project: {{{Project}}}
        connections:
          - { name: Signups, type: csv, path: signups.csv }
          - { name: Warehouse, type: sqlite, database: warehouse.db }
        operations:
          - name: Load
            source: { connection: Signups, activity: query }
            transform:
              map:
                email: "{{ record.email }}"
                fire_time: "{{ system.schedule.fire_time }}"
            target: { connection: Warehouse, activity: create, table: contacts, create_table: true, key: [email, fire_time] }
            options: { {{{options}}} }
        schedules:
          - { name: every-2s, cron: "*/2 * * * * *", misfire: skip }
        """;

    private (Process Process, StringBuilder Log) Agent(string name) =>
        AgentTests.StartAgentCapturing(_folder.Path, "--cluster", PostgresServer.ConnectionString, "--group", "g" + _id, "--name", name);

    [PostgresFact]
    public async Task Group_TwoAgentsOnAScheduleEveryTwoSeconds_RunEachFireTimeExactlyOnce()
    {
        // Given
        AgentTests.WriteSignups(_folder, 3);
        _folder.Write("ticks.yaml", Pipeline("batch_size: 500"));
        var (first, _) = Agent("agent-1");
        var (second, _) = Agent("agent-2");
        using (first)
        using (second)
        {
            // When: the group has committed twelve runs
            await AgentTests.WaitUntilAsync(() => Count("SELECT count(*) FROM etl_runs WHERE pipeline = @p AND status = 'success'") >= 12, first, "twelve runs of the group");
            await Task.WhenAll(AgentTests.TerminateAsync(first), AgentTests.TerminateAsync(second));
        }

        // Then: one successful run per fire time (ticks of the 2 s schedule), each under a lease taken once
        var runs = Rows("SELECT fire_time, status, agent FROM etl_runs WHERE pipeline = @p ORDER BY fire_time");
        var fires = runs.Select(r => DateTimeOffset.Parse((string)r[0]!, CultureInfo.InvariantCulture)).ToList();
        output.WriteLine($"{runs.Count} fire times over {(fires[^1] - fires[0]).TotalSeconds / 2 + 1} ticks, by {string.Join(", ", runs.GroupBy(r => r[2]).Select(g => $"{g.Key}: {g.Count()}"))}");
        Assert.True(runs.Count >= 12, $"{runs.Count} runs");
        Assert.All(runs, r => Assert.Equal("success", r[1]));
        Assert.Equal(fires.Count, fires.Distinct().Count());
        Assert.All(fires, f => Assert.Equal(0, f.Second % 2)); // a tick may be missed on a loaded machine (misfire: skip), never run twice
        var attempts = Rows("SELECT fire_time, count(*), min(outcome), max(token) FROM etl_attempts WHERE pipeline = @p GROUP BY fire_time ORDER BY fire_time");
        Assert.Equal(runs.Select(r => ((string)r[0]!, 1L, "succeeded", 1L)), attempts.Select(a => ((string)a[0]!, (long)a[1]!, (string)a[2]!, (long)a[3]!)));
        Assert.Equal(3L * runs.Count, (long)SqliteFile.Scalar(Warehouse, "SELECT count(*) FROM contacts")!);
        Assert.Equal(runs.Count, SqliteFile.Rows(Warehouse, "SELECT DISTINCT fire_time FROM contacts").Count);
    }

    [PostgresFact]
    public async Task Group_AgentKilledMidRun_TheOtherResumesItWithEveryRowOnceAndOneRun()
    {
        // Given: two agents; one of them runs a long load (200,000 rows in batches of 100)
        AgentTests.WriteSignups(_folder, LongLoad);
        _folder.Write("ticks.yaml", Pipeline("batch_size: 100"));
        var agents = new[] { Agent("agent-1"), Agent("agent-2") };
        try
        {
            var (holder, fire) = await LoadUnderWayAsync(agents);

            // When: the agent holding the lease is killed
            var killed = DateTimeOffset.UtcNow;
            holder.Process.Kill();
            var survivor = agents.Single(a => a.Process != holder.Process);
            await AgentTests.WaitUntilAsync(() => Count("SELECT count(*) FROM etl_runs WHERE pipeline = @p AND fire_time = @f AND status = 'success'", fire) == 1, survivor.Process, "the other agent to finish the run");

            // Then: that fire's run is one run, finished by the other agent after the first lost its lease, with
            // every row exactly once
            Report("kill -9", killed, fire);
            await AssertFinishedByTheOtherAgentAsync(fire, survivor);
            var history = await Cli.RunAsync(["history", PipelineId, "--cluster", PostgresServer.ConnectionString, "--output", "json"]);
            using var json = System.Text.Json.JsonDocument.Parse(history.Out);
            var entry = json.RootElement.EnumerateArray().Single(e => e.GetProperty("fire_time").GetString() == fire);
            var (holderName, survivorName) = holder.Process == agents[0].Process ? ("agent-1", "agent-2") : ("agent-2", "agent-1");
            Assert.Equal(
                [(holderName, "lease lost"), (survivorName, "succeeded")],
                entry.GetProperty("attempts").EnumerateArray().Select(a => (a.GetProperty("agent").GetString(), a.GetProperty("outcome").GetString())));
            var text = await Cli.RunAsync(["history", PipelineId, "--cluster", PostgresServer.ConnectionString], width: 80);
            Assert.Contains($"  attempts: {holderName} #1 lease lost, {survivorName} #2 succeeded", text.Out, StringComparison.Ordinal);
        }
        finally
        {
            WriteLogs(agents);
            foreach (var (process, _) in agents)
            {
                process.Kill();
                process.Dispose();
            }
        }
    }

    [PostgresFact]
    public async Task Group_AgentFrozenPastItsLease_IsFencedWhenItWakesAndEveryRowIsWrittenOnce()
    {
        // Given: one agent of two runs a long load
        AgentTests.WriteSignups(_folder, LongLoad);
        _folder.Write("ticks.yaml", Pipeline("batch_size: 100"));
        var agents = new[] { Agent("agent-1"), Agent("agent-2") };
        try
        {
            var (holder, fire) = await LoadUnderWayAsync(agents);
            var survivor = agents.Single(a => a.Process != holder.Process);

            // When: it is frozen (SIGSTOP) until the other agent has taken its lease, then woken (SIGCONT). Not until the
            // other has written too: both write one SQLite file, and an agent frozen inside its batch's transaction
            // holds the file's write lock until it wakes (in a CI run the other then waited for it in vain).
            var frozen = DateTimeOffset.UtcNow;
            Signal("STOP", holder.Process);
            await AgentTests.WaitUntilAsync(() => Count("SELECT count(*) FROM etl_attempts WHERE pipeline = @p AND fire_time = @f AND token = 2", fire) == 1, survivor.Process, "the other agent to take the lease");
            Signal("CONT", holder.Process);
            await AgentTests.WaitUntilAsync(() => AgentTests.Text(holder.Log).Contains("this agent was fenced", StringComparison.Ordinal), holder.Process, "the woken agent to be fenced");
            await AgentTests.WaitUntilAsync(() => Count("SELECT count(*) FROM etl_runs WHERE pipeline = @p AND fire_time = @f AND status = 'success'", fire) == 1, survivor.Process, "the other agent to finish the run");

            // Then: the woken agent's writes were refused, naming the agent that holds the lease now; it keeps running;
            // the run is one run with every row once
            Report("SIGSTOP", frozen, fire);
            Assert.Contains($"{PipelineId}: schedule every-2s fire {fire}: this agent was fenced, nothing more of the run is written here: the lease of {PipelineId} schedule every-2s fire {fire}", AgentTests.Text(holder.Log), StringComparison.Ordinal);
            Assert.False(holder.Process.HasExited);
            await AssertFinishedByTheOtherAgentAsync(fire, survivor);
        }
        finally
        {
            WriteLogs(agents);
            foreach (var (process, _) in agents)
            {
                Signal("CONT", process);
                process.Kill();
                process.Dispose();
            }
        }
    }

    [PostgresFact]
    public async Task Group_SecondAgentOfTheSameName_IsRefused()
    {
        // Given
        AgentTests.WriteSignups(_folder, 1);
        _folder.Write("ticks.yaml", Pipeline("batch_size: 500"));
        var (first, log) = Agent("agent-1");
        using (first)
        {
            await AgentTests.WaitUntilAsync(() => AgentTests.Text(log).Contains("Agent agent-1 started in group", StringComparison.Ordinal), first, "the first agent to start");

            // When
            var second = await Cli.RunAsync(["agent", _folder.Path, "--cluster", PostgresServer.ConnectionString, "--group", "g" + _id, "--name", "agent-1", "--state-dir", _folder.File("other")]);

            // Then
            Assert.True(second.ExitCode == 1, second.ToString());
            Assert.Contains($"an agent named agent-1 is already running in group g{_id}", second.Error, StringComparison.Ordinal);
            Assert.False(first.HasExited);
            await AgentTests.TerminateAsync(first);
        }
    }

    [PostgresFact]
    public async Task Group_AgentWhoseCopyDiffers_SkipsThatPipelinesSchedulesAndSaysWhy()
    {
        // Given: an agent runs the pipeline; another machine's copy of it differs
        AgentTests.WriteSignups(_folder, 1);
        _folder.Write("ticks.yaml", Pipeline("batch_size: 500"));
        using var elsewhere = new TempFolder();
        AgentTests.WriteSignups(elsewhere, 1);
        elsewhere.Write("ticks.yaml", Pipeline("batch_size: 400"));
        var (first, firstLog) = Agent("agent-1");
        using (first)
        {
            await AgentTests.WaitUntilAsync(() => AgentTests.Text(firstLog).Contains("started in group", StringComparison.Ordinal), first, "the first agent to start");

            // When
            var (second, secondLog) = AgentTests.StartAgentCapturing(elsewhere.Path, "--cluster", PostgresServer.ConnectionString, "--group", "g" + _id, "--name", "agent-2");
            using (second)
            {
                await AgentTests.WaitUntilAsync(() => AgentTests.Text(secondLog).Contains("started in group", StringComparison.Ordinal), second, "the second agent to start");
                var status = await Cli.RunAsync(["status", "--cluster", PostgresServer.ConnectionString, "--group", "g" + _id, "--output", "json"]);
                var text = await Cli.RunAsync(["status", "--cluster", PostgresServer.ConnectionString, "--group", "g" + _id]);
                await Task.WhenAll(AgentTests.TerminateAsync(first), AgentTests.TerminateAsync(second));

                // Then: the status shows what agent-2 skips and why, and that agent-1 skips nothing
                using var json = JsonDocument.Parse(status.Out);
                var skipped = json.RootElement.GetProperty("agents").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("skipped").EnumerateArray().Select(s => s.GetString()!).ToList());
                Assert.Empty(skipped["agent-1"]);
                Assert.Matches($"^{PipelineId}: its copy \\(hash [0-9a-f]{{16}}\\) differs from the version the group runs \\(hash [0-9a-f]{{16}}, registered by agent agent-1\\)$", Assert.Single(skipped["agent-2"]));
                Assert.Contains($"; SKIPS {PipelineId}: its copy (hash ", text.Out, StringComparison.Ordinal);
            }

            // And: it starts without that pipeline's schedules, naming both versions
            Assert.Matches($"{PipelineId}: this agent's copy \\({System.Text.RegularExpressions.Regex.Escape(elsewhere.File("ticks.yaml"))}, content hash [0-9a-f]{{16}}\\) differs from the version group g{_id} runs \\(hash [0-9a-f]{{16}}, registered by agent agent-1\\): its schedules are skipped on this agent", AgentTests.Text(secondLog));
            Assert.Contains("started in group g" + _id + ": 0 schedule(s)", AgentTests.Text(secondLog), StringComparison.Ordinal);
        }
    }

    [PostgresFact]
    public async Task Group_AgentWithAnotherCopy_IsHandedNoFireAndEveryFireRunsOnceOnTheAgentWithTheRegisteredCopy()
    {
        // Given: agent-1 registers the pipeline; agent-2's copy differs, so it skips that pipeline's schedules
        AgentTests.WriteSignups(_folder, 3);
        _folder.Write("ticks.yaml", Pipeline("batch_size: 500"));
        using var elsewhere = new TempFolder();
        AgentTests.WriteSignups(elsewhere, 3);
        elsewhere.Write("ticks.yaml", Pipeline("batch_size: 400"));
        var (first, firstLog) = Agent("agent-1");
        using (first)
        {
            await AgentTests.WaitUntilAsync(() => AgentTests.Text(firstLog).Contains("started in group", StringComparison.Ordinal), first, "the first agent to start");
            var (second, secondLog) = AgentTests.StartAgentCapturing(elsewhere.Path, "--cluster", PostgresServer.ConnectionString, "--group", "g" + _id, "--name", "agent-2");
            using (second)
            {
                await AgentTests.WaitUntilAsync(() => AgentTests.Text(secondLog).Contains("started in group", StringComparison.Ordinal), second, "the second agent to start");
                var joined = DateTimeOffset.UtcNow;

                // When: the group has run twelve fire times since agent-2 joined
                await AgentTests.WaitUntilAsync(() => Count("SELECT count(*) FROM etl_runs WHERE pipeline = @p AND status = 'success' AND fire_time > @f", Iso(joined)) >= 12, first, "twelve runs after the second agent joined");
                await Task.WhenAll(AgentTests.TerminateAsync(first), AgentTests.TerminateAsync(second));

                // Then: every fire time ran once, on agent-1; agent-2 was handed none (Quartz used to hand it some,
                // which it dropped: "fired, but the agent no longer has it"), and its copy never ran
                var runs = Rows("SELECT fire_time, status, agent FROM etl_runs WHERE pipeline = @p AND fire_time > @f ORDER BY fire_time", Iso(joined));
                var fires = runs.Select(r => DateTimeOffset.Parse((string)r[0]!, CultureInfo.InvariantCulture)).ToList();
                var ticks = (int)((fires[^1] - fires[0]).TotalSeconds / 2) + 1;
                output.WriteLine($"{runs.Count} fire times of {ticks} ticks after agent-2 joined, by {string.Join(", ", runs.GroupBy(r => r[2]).Select(g => $"{g.Key}: {g.Count()}"))}");
                Assert.True(runs.Count >= 12, $"{runs.Count} runs");
                Assert.All(runs, r => Assert.Equal(("success", "agent-1"), ((string)r[1]!, (string)r[2]!)));
                Assert.Equal(fires.Count, fires.Distinct().Count());
                Assert.Equal(ticks, fires.Count); // no tick lost in between
                var attempts = Rows("SELECT fire_time, count(*), min(agent), max(token) FROM etl_attempts WHERE pipeline = @p AND fire_time > @f GROUP BY fire_time ORDER BY fire_time", Iso(joined));
                Assert.Equal(runs.Select(r => ((string)r[0]!, 1L, "agent-1", 1L)), attempts.Select(a => ((string)a[0]!, (long)a[1]!, (string)a[2]!, (long)a[3]!)));
                Assert.DoesNotContain("fired", AgentTests.Text(secondLog), StringComparison.Ordinal);
                Assert.False(File.Exists(elsewhere.File("warehouse.db")));
            }
        }
    }

    [PostgresFact]
    public async Task Status_OnlyAnAgentWithAnotherCopyIsUp_ShowsTheFireAsPendingWithItsAgeUntilTheRegisteredCopyIsBack()
    {
        // Given: agent-1 holds the registered copy, agent-2 another; agent-1 is killed in the middle of a run (of
        // 20,000 rows), so agent-2's Quartz adds a trigger recovering that fire, which agent-2 may not run either
        AgentTests.WriteSignups(_folder, 20_000);
        _folder.Write("ticks.yaml", Pipeline("batch_size: 500"));
        using var elsewhere = new TempFolder();
        AgentTests.WriteSignups(elsewhere, 3);
        elsewhere.Write("ticks.yaml", Pipeline("batch_size: 400"));
        var (first, firstLog) = Agent("agent-1");
        var (second, secondLog) = ((Process?)null, new StringBuilder());
        try
        {
            await AgentTests.WaitUntilAsync(() => AgentTests.Text(firstLog).Contains("started in group", StringComparison.Ordinal), first, "the first agent to start");
            (second, secondLog) = AgentTests.StartAgentCapturing(elsewhere.Path, "--cluster", PostgresServer.ConnectionString, "--group", "g" + _id, "--name", "agent-2");
            await AgentTests.WaitUntilAsync(() => AgentTests.Text(secondLog).Contains("started in group", StringComparison.Ordinal), second, "the second agent to start");
            await AgentTests.WaitUntilAsync(() => Count("SELECT count(*) FROM etl_runs WHERE pipeline = @p AND status = 'success'") >= 1, first, "a first run");
            await AgentTests.WaitUntilAsync(() => Count("SELECT count(*) FROM etl_leases WHERE pipeline = @p AND finished_at IS NULL") == 1, first, "a run under way");
            first.Kill();
            await first.WaitForExitAsync();
            var killed = DateTimeOffset.UtcNow;

            // When: etl status is asked while only agent-2 runs
            JsonElement schedule = default;
            await AgentTests.WaitUntilAsync(() => (schedule = Schedule()).TryGetProperty("pending_seconds", out var age) && age.ValueKind == JsonValueKind.Number && age.GetDouble() >= 4, second, "the fire to be pending for 4 s");
            var text = await Cli.RunAsync(["status", "--cluster", PostgresServer.ConnectionString, "--group", "g" + _id]);
            var runsWhileDown = Count("SELECT count(*) FROM etl_runs WHERE pipeline = @p");

            // Then: the fire due is pending, with its age and the version it waits for; agent-2 did not run it
            var version = schedule.GetProperty("version").GetString()!;
            Assert.Matches("^etl:[0-9a-f]{16}:[0-9a-f]{8}$", version);
            Assert.True(DateTimeOffset.Parse(schedule.GetProperty("pending_since").GetString()!, CultureInfo.InvariantCulture) >= killed.AddSeconds(-3), schedule.ToString());
            Assert.Contains($"{PipelineId} every-2s (UTC, enabled)", text.Out, StringComparison.Ordinal);
            Assert.Matches($"PENDING: fire [0-9T:+-]+ waiting [0-9.]+ s for an agent holding version {version}", text.Out);
            Assert.DoesNotContain("fired", AgentTests.Text(secondLog), StringComparison.Ordinal);

            // And when agent-1 is back, the fires run there again and nothing is pending
            var (again, againLog) = Agent("agent-1");
            first = again;
            await AgentTests.WaitUntilAsync(() => Count("SELECT count(*) FROM etl_runs WHERE pipeline = @p AND status = 'success'") > runsWhileDown + 1, again, "runs on agent-1 again");
            Assert.False(Schedule().TryGetProperty("pending_seconds", out var after) && after.ValueKind == JsonValueKind.Number, Schedule().ToString());
            Assert.All(Rows("SELECT agent FROM etl_runs WHERE pipeline = @p"), r => Assert.Equal("agent-1", r[0]));
            Assert.DoesNotContain("fired", AgentTests.Text(secondLog), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var process in new[] { first, second })
            {
                if (process is not null && !process.HasExited)
                {
                    process.Kill();
                }

                process?.Dispose();
            }
        }

        JsonElement Schedule()
        {
            var result = Cli.RunAsync(["status", "--cluster", PostgresServer.ConnectionString, "--group", "g" + _id, "--output", "json"]).GetAwaiter().GetResult();
            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(result.Out);
            return json.RootElement.GetProperty("schedules").EnumerateArray().Single(s => s.GetProperty("pipeline").GetString() == PipelineId).Clone();
        }
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Agent_ClusterUnreachable_RefusesToStartWithoutThePassword()
    {
        AgentTests.WriteSignups(_folder, 1);
        _folder.Write("ticks.yaml", Pipeline("batch_size: 500"));

        var result = await Cli.RunAsync(["agent", _folder.Path, "--cluster", "postgres://etl:s3cret-pass@127.0.0.1:1/etl"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: cannot use PostgreSQL at postgres://etl@127.0.0.1:1/etl (--cluster): ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pass", result.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.File(".etl")));
    }

    [PostgresFact]
    public async Task StateReset_Cluster_ClearsTheGroupsWatermarkThenForgetsThePipeline()
    {
        // Given: a pipeline's state in the group, as an agent left it
        using (var store = State.PostgresStateStore.Open(State.PostgresConnection.Parse(PostgresServer.ConnectionString)))
        {
            store.RunStarted(new State.RunEntry("run-" + _id, PipelineId, Project, "default", DateTimeOffset.UnixEpoch));
            store.OperationFinished(
                new State.OperationEntry("run-" + _id, PipelineId, Project, "default", "Load", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "success", 1, 0, 1, 0, 0, null, null),
                new State.OperationCompletion(null, "41", ClearLedger: true));
        }

        // When
        var cleared = await Cli.RunAsync(["state", "reset", PipelineId, "--cluster", PostgresServer.ConnectionString, "--operation", "Load"]);
        var history = await Cli.RunAsync(["history", PipelineId, "--cluster", PostgresServer.ConnectionString, "--output", "json"]);
        var all = await Cli.RunAsync(["state", "reset", PipelineId, "--cluster", PostgresServer.ConnectionString, "--all"]);

        // Then
        Assert.True(cleared.ExitCode == 0, cleared.ToString());
        Assert.Contains("cleared the watermark of 'Load' (was 41)", cleared.Out, StringComparison.Ordinal);
        Assert.Equal("run-" + _id, System.Text.Json.JsonDocument.Parse(history.Out).RootElement.EnumerateArray().Single().GetProperty("run_id").GetString());
        Assert.Contains($"deleted the group's state of {PipelineId} (2 row(s)", all.Out, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT count(*) FROM etl_runs WHERE pipeline = @p"));
    }

    [Fact]
    public async Task History_ClusterUnreachable_SaysSoWithoutThePassword()
    {
        var result = await Cli.RunAsync(["history", "--cluster", "postgres://etl:s3cret-pass@127.0.0.1:1/etl"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("postgres://etl@127.0.0.1:1/etl", result.Error, StringComparison.Ordinal);
        Assert.Contains("cannot use PostgreSQL (--cluster)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pass", result.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Waits until a fire's load has written 20,000 rows; returns the agent that holds its lease, and the fire time.</summary>
    private async Task<((Process Process, StringBuilder Log) Holder, string Fire)> LoadUnderWayAsync((Process Process, StringBuilder Log)[] agents)
    {
        await AgentTests.WaitUntilAsync(() => Rows_() >= 20_000, agents[0].Process, "the load to be under way");
        var lease = Rows("SELECT owner, fire_time FROM etl_leases WHERE pipeline = @p AND finished_at IS NULL").Single();
        return (agents[(string)lease[0]! == "agent-1" ? 0 : 1], (string)lease[1]!);
    }

    private async Task AssertFinishedByTheOtherAgentAsync(string fire, (Process Process, StringBuilder Log) survivor)
    {
        Assert.Equal((long)LongLoad, (long)SqliteFile.Scalar(Warehouse, $"SELECT count(*) FROM contacts WHERE fire_time = '{fire}'")!);
        var run = Rows("SELECT run_id, status FROM etl_runs WHERE pipeline = @p AND fire_time = @f", fire).Single();
        Assert.Equal("success", run[1]);
        var attempts = Rows("SELECT token, outcome, run_id FROM etl_attempts WHERE pipeline = @p AND fire_time = @f ORDER BY token", fire);
        Assert.Equal([(1L, "lease lost", run[0]), (2L, "succeeded", run[0])], attempts.Select(a => ((long)a[0]!, (string)a[1]!, a[2])));
        // The agent logs the run's end after recording it: wait for the line rather than race it
        await AgentTests.WaitUntilAsync(() => AgentTests.Text(survivor.Log).Contains($"run {run[0]} succeeded (resumed an interrupted run)", StringComparison.Ordinal), survivor.Process, "the other agent to log the resumed run's success");
    }

    /// <summary>Writes how long the other agent took to take over (from the failure to its lease, and to its first batch).</summary>
    private void Report(string failure, DateTimeOffset at, string fire)
    {
        var taken = Rows("SELECT start_time FROM etl_attempts WHERE pipeline = @p AND fire_time = @f AND token = 2", fire).Single()[0];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{failure}: the other agent took the lease {((DateTime)taken! - at.UtcDateTime).TotalSeconds:0.0} s after it"));
    }

    private long Rows_() => File.Exists(Warehouse) && SqliteFile.Scalar(Warehouse, "SELECT name FROM sqlite_master WHERE name = 'contacts'") is not null
        ? (long)SqliteFile.Scalar(Warehouse, "SELECT count(*) FROM contacts")!
        : 0;

    private long Count(string sql, string? fire = null) => Convert.ToInt64(Rows(sql, fire).Single()[0], CultureInfo.InvariantCulture);

    private List<object?[]> Rows(string sql, string? fire = null) =>
        PostgresServer.Rows(sql, ("p", PipelineId), ("f", fire));

    /// <summary>The agents' logs, so a failed run of the test says what each agent did.</summary>
    private void WriteLogs((Process Process, StringBuilder Log)[] agents)
    {
        for (var i = 0; i < agents.Length; i++)
        {
            output.WriteLine($"--- agent-{i + 1}:");
            output.WriteLine(AgentTests.Text(agents[i].Log));
        }
    }

    private static void Signal(string signal, Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public void Dispose() => _folder.Dispose();
}
