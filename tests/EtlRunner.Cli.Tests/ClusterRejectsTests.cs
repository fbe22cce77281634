using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EtlRunner.Testing;
using Npgsql;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// The rejects of an agent group's runs are in its PostgreSQL (<c>etl_rejects</c>), not in files on the agent that ran
/// them: masked as a rejects file is, every rejected record exactly once across a kill -9 failover, and replayed with
/// <c>etl replay --cluster</c> from another folder. Real <c>etl agent</c> processes on the tests' PostgreSQL, a real
/// SQLite target whose CHECK constraint rejects some rows.
/// </summary>
[Collection(AgentTests.Collection)]
public sealed class ClusterRejectsTests : IDisposable
{
    private const string Token = "s3cr\"et+tök/en";

    private readonly TempFolder _folder = new();
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    private string Project => "rejects" + _id;

    private string PipelineId => Project + ":load.yaml";

    private string Group => "g" + _id;

    private string Warehouse => _folder.File("warehouse.db");

    /// <summary>Loads signups into the warehouse; the table refuses the emails of users whose number ends in 7.</summary>
    private string Pipeline(string key, string batchSize) => $$$"""
        project: {{{Project}}}
        variables:
          token: { secret: true }
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
                note: "{{ 'key ' + token }}"
            target: { connection: Warehouse, activity: create, table: contacts, key: [{{{key}}}] }
            options: { batch_size: {{{batchSize}}}, max_rejects: "20%" }
        schedules:
          - { name: every-2s, cron: "*/2 * * * * *", misfire: skip }
        """;

    private void CreateWarehouse(string key, bool refuseSevens = true) => SqliteFile.Execute(Warehouse,
        $"CREATE TABLE contacts (email TEXT NOT NULL, fire_time TEXT NOT NULL, note TEXT, PRIMARY KEY ({key}){(refuseSevens ? ", CHECK (email NOT LIKE '%7@example.com')" : string.Empty)})");

    private (Process Process, StringBuilder Log) Agent(string name, string? cluster = null) =>
        AgentTests.StartAgentCapturing(_folder.Path, "--cluster", cluster ?? PostgresServer.ConnectionString, "--group", Group, "--name", name, "--var", "token=" + Token);

    /// <summary>The tests' PostgreSQL as a URL with a password (which its trusted logins ignore): it must show nowhere.</summary>
    private static string ClusterUrl(string password)
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString);
        return $"postgres://{server.Username}:{password}@{server.Host}:{server.Port}/{server.Database}";
    }

    [PostgresFact]
    public async Task Group_RunRejectingRows_KeepsTheRejectsInPostgresMaskedAndReplayFromAnotherFolderWritesThem()
    {
        // Given: an agent of a group runs a load whose target refuses 2 of 20 rows
        AgentTests.WriteSignups(_folder, 20);
        _folder.Write("load.yaml", Pipeline("email", "5"));
        CreateWarehouse("email");
        const string password = "pg-pass-9Zq";
        var (agent, log) = Agent("agent-1", ClusterUrl(password));
        string runId;
        using (agent)
        {
            await AgentTests.WaitUntilAsync(() => Count("SELECT count(*) FROM etl_runs WHERE pipeline = @p AND status = 'success'") >= 1, agent, "a run of the group");
            await AgentTests.TerminateAsync(agent);
            runId = (string)Rows("SELECT run_id FROM etl_runs WHERE pipeline = @p AND status = 'success' ORDER BY seq LIMIT 1").Single()[0]!;
        }

        // When: the rejects are looked at from the group's history, and replayed with another state folder once the table accepts them
        var history = await Cli.RunAsync(["history", PipelineId, "--cluster", PostgresServer.ConnectionString, "--output", "json"]);
        var text = await Cli.RunAsync(["history", PipelineId, "--cluster", PostgresServer.ConnectionString], width: 80); // two lines per entry
        SqliteFile.Execute(Warehouse, "DROP TABLE contacts");
        CreateWarehouse("email", refuseSevens: false);
        using var elsewhere = new TempFolder();
        var replay = await Cli.RunAsync(
            ["replay", runId, "--cluster", ClusterUrl(password), "--group", Group, "--state-dir", elsewhere.File("state"), "--var", "token=" + Token, "--output", "json"],
            workingDirectory: _folder.Path); // the pipelines' folder, as every agent has it: the id's path is the file

        // Then: the run's two rejects are in PostgreSQL as a rejects file's lines, the secret masked, and in no file
        var lines = Rows("SELECT line, body FROM etl_rejects WHERE run_id = @r ORDER BY line", runId);
        Assert.Equal([1L, 2L], lines.Select(l => (long)l[0]!));
        var rejected = lines.Select(l => JsonDocument.Parse((string)l[1]!).RootElement).ToList();
        Assert.Equal(["user17@example.com", "user7@example.com"], rejected.Select(r => r.GetProperty("source").GetProperty("email").GetString()).Order(StringComparer.Ordinal));
        Assert.All(rejected, r => Assert.Equal(("Load", "write", "key ***"), (r.GetProperty("operation").GetString(), r.GetProperty("stage").GetString(), r.GetProperty("record").GetProperty("note").GetString())));
        SecretTests.AssertNowhere(Token, "etl_rejects", string.Join('\n', Rows("SELECT body FROM etl_rejects WHERE pipeline = @p").Select(r => (string)r[0]!)));
        Assert.Empty(Directory.GetFiles(_folder.Path, "*.jsonl", SearchOption.AllDirectories));
        Assert.DoesNotContain(Token, AgentTests.Text(log), StringComparison.Ordinal);

        // ... and neither the secret nor the cluster's password is anywhere in the group's database: Quartz's job store
        // (its job data included, decoded), the run state, the rejects
        var stored = new StringBuilder();
        foreach (var table in Rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND (table_name LIKE 'qrtz%' OR table_name LIKE 'etl%')").Select(r => (string)r[0]!))
        {
            foreach (var row in PostgresServer.Rows($"SELECT * FROM {table}"))
            {
                stored.AppendJoin('\t', row.Select(v => v is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(v, CultureInfo.InvariantCulture))).Append('\n');
            }
        }

        Assert.Contains(PipelineId, stored.ToString(), StringComparison.Ordinal); // the dump reached the group's rows
        Assert.Contains("ScheduledRunJob", stored.ToString(), StringComparison.Ordinal); // and Quartz's jobs
        SecretTests.AssertNowhere(Token, "the group's database", stored.ToString());
        SecretTests.AssertNowhere(password, "the group's database", stored.ToString());

        // ... history says where they are, with their number
        Assert.True(history.ExitCode == 0, history.ToString());
        var entry = JsonDocument.Parse(history.Out).RootElement.EnumerateArray().Single(e => e.GetProperty("run_id").GetString() == runId);
        Assert.Equal((2, 2L), (entry.GetProperty("rejected").GetInt32(), entry.GetProperty("rejects_kept").GetInt64()));
        Assert.Matches($"^etl_rejects in postgres://postgres@127\\.0\\.0\\.1:\\d+/postgres \\(run {runId}, operation Load\\)$", entry.GetProperty("rejects_file").GetString());
        var words = System.Text.RegularExpressions.Regex.Replace(text.Out, @"\s+", " "); // the console wraps long lines
        Assert.Contains($"{runId}, every-2s ", words, StringComparison.Ordinal);
        Assert.Contains($" 2 reject(s) kept in the group: etl replay --cluster CONNECTION {runId} --operation \"Load\" ", words, StringComparison.Ordinal);

        // ... and the replay wrote them into the target, through the group's state (its run is in the group's history)
        Assert.True(replay.ExitCode == 0, replay.ToString());
        using var replayed = JsonDocument.Parse(replay.Out);
        var operation = replayed.RootElement.GetProperty("operations")[0];
        Assert.Equal((2, 2, 0), (operation.GetProperty("read").GetInt32(), operation.GetProperty("written").GetInt32(), operation.GetProperty("rejected").GetInt32()));
        Assert.Equal(["user17@example.com", "user7@example.com"], SqliteFile.Rows(Warehouse, "SELECT email FROM contacts WHERE email LIKE '%7@example.com' ORDER BY email").Select(r => (string)r[0]!));
        Assert.Equal(1, Count("SELECT count(*) FROM etl_runs WHERE pipeline = @p AND run_id = @r AND NOT resumable", replayed.RootElement.GetProperty("run_id").GetString()));
        Assert.False(Directory.Exists(elsewhere.File("state/rejects")));
        Assert.DoesNotContain(Token, replay.ToString(), StringComparison.Ordinal);

        // ... and the connection's password shows in no output, log line or row the group keeps of the pipeline
        foreach (var shown in new[] { replay.ToString(), AgentTests.Text(log), string.Join('\n', Rows("SELECT concat_ws(' ', rejects_file, error) FROM etl_operations WHERE pipeline = @p").Select(r => (string)r[0]!)) })
        {
            Assert.DoesNotContain(password, shown, StringComparison.Ordinal);
        }
    }

    [PostgresFact]
    public async Task Group_AgentKilledMidRunWithRejectedRows_EndsWithEveryRejectedRecordOnceInTheGroupsRejects()
    {
        // Given: two agents; one runs a long load (200,000 rows in batches of 100) whose target refuses one row in ten
        const int rows = 200_000;
        AgentTests.WriteSignups(_folder, rows);
        _folder.Write("load.yaml", Pipeline("email, fire_time", "100"));
        CreateWarehouse("email, fire_time");
        var agents = new[] { Agent("agent-1"), Agent("agent-2") };
        try
        {
            await AgentTests.WaitUntilAsync(() => Count("SELECT count(*) FROM etl_rejects WHERE pipeline = @p") >= 2_000, agents[0].Process, "the load to be under way");
            var lease = Rows("SELECT owner, fire_time, run_id FROM etl_leases WHERE pipeline = @p AND finished_at IS NULL").Single();
            var holder = agents[(string)lease[0]! == "agent-1" ? 0 : 1];
            var survivor = agents.Single(a => a.Process != holder.Process);
            var fire = (string)lease[1]!;

            // When: the agent holding the lease is killed
            holder.Process.Kill();
            await AgentTests.WaitUntilAsync(() => Count("SELECT count(*) FROM etl_runs WHERE pipeline = @p AND fire_time = @r AND status = 'success'", fire) == 1, survivor.Process, "the other agent to finish the run");

            // Then: the run was resumed by the other agent, and its rejects are every refused row exactly once, numbered without a gap
            var runId = (string)Rows("SELECT run_id FROM etl_runs WHERE pipeline = @p AND fire_time = @r", fire).Single()[0]!;
            Assert.Equal(2L, Count("SELECT count(*) FROM etl_attempts WHERE pipeline = @p AND run_id = @r", runId));
            var lines = Rows("SELECT line, body FROM etl_rejects WHERE run_id = @r ORDER BY line", runId);
            var emails = lines.Select(l => JsonDocument.Parse((string)l[1]!).RootElement.GetProperty("source").GetProperty("email").GetString()!).ToList();
            var expected = Enumerable.Range(1, rows).Where(i => i % 10 == 7).Select(i => $"user{i}@example.com").ToList();
            Assert.Equal(expected.Count, emails.Count);
            Assert.Equal(expected.Order(StringComparer.Ordinal), emails.Order(StringComparer.Ordinal));
            Assert.Equal(Enumerable.Range(1, expected.Count).Select(i => (long)i), lines.Select(l => (long)l[0]!));
            Assert.Equal((long)(rows - expected.Count), (long)SqliteFile.Scalar(Warehouse, $"SELECT count(*) FROM contacts WHERE fire_time = '{fire}'")!);
        }
        finally
        {
            foreach (var (process, _) in agents)
            {
                process.Kill();
                process.Dispose();
            }
        }
    }

    private long Count(string sql, string? run = null) => Convert.ToInt64(Rows(sql, run).Single()[0], CultureInfo.InvariantCulture);

    private List<object?[]> Rows(string sql, string? run = null) =>
        PostgresServer.Rows(sql, ("p", PipelineId), ("r", run));

    public void Dispose() => _folder.Dispose();
}
