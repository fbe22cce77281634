using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// A real <c>etl agent</c> with <c>--status-port</c>: its page and <c>/status.json</c>, and <c>etl status</c> read from
/// its state folder, show the agent, its schedule with the next fire time in the schedule's zone, the operation it
/// is running with its counts while a slow run goes, and the run once it has finished.
/// </summary>
public sealed partial class AgentStatusTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly TempFolder _folder = new();

    private const string Pipeline = """
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
                fire_time: "{{ system.schedule.fire_time }}"
            target: { connection: Warehouse, activity: create, table: contacts, create_table: true, key: [email, fire_time] }
            options: { batch_size: 2 }
        schedules:
          - { name: every-2s, cron: "*/2 * * * * *", timezone: Europe/Paris }
        """;

    [GeneratedRegex(@"Status page on (http://127\.0\.0\.1:\d+)/")]
    private static partial Regex StatusAddress();

    [Fact]
    public async Task Agent_WithStatusPort_PageJsonAndEtlStatusShowTheAgentItsScheduleTheRunningOperationAndTheLastRun()
    {
        // Given: a slow load (60,000 rows in batches of 2) every 2 s, and an agent serving its status on a free port
        const int Rows = 60_000;
        var csv = new StringBuilder("email\n");
        for (var i = 1; i <= Rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"user{i}@example.com\n");
        }

        _folder.Write("signups.csv", csv.ToString());
        _folder.Write("ticks.yaml", Pipeline);
        var log = new StringBuilder();
        using var agent = Process.Start(ResumeTests.EtlProcess(["agent", _folder.Path, "--name", "status-agent", "--status-port", "0"]))!;
        agent.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        agent.BeginErrorReadLine();
        agent.BeginOutputReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var address = await WaitForAsync(() => Task.FromResult(StatusAddress().Match(Text(log)) is { Success: true } m ? m.Groups[1].Value : null), agent, "the status page's address");

            // When: the run is under way
            var running = Json(await WaitForAsync(async () => await http.GetStringAsync(address + "/status.json") is var s && Json(s).GetProperty("running").EnumerateArray().Any(r => r.GetProperty("read").GetInt64() > 0) ? s : null, agent, "a running operation with counts"));
            var page = await http.GetStringAsync(address + "/");
            var fromCli = await WaitForAsync(async () => await Cli.RunAsync(["status", _folder.Path, "--output", "json"]) is { ExitCode: 0 } r && Json(r.Out).GetProperty("running").EnumerateArray().Any(o => o.GetProperty("read").GetInt64() > 0) ? r : null, agent, "etl status to see the running operation");
            var text = await Cli.RunAsync(["status", _folder.Path]);

            // Then: the agent, its schedule in its zone, and the running operation with balanced-so-far counts
            var agentView = Assert.Single(running.GetProperty("agents").EnumerateArray());
            Assert.Equal("status-agent", agentView.GetProperty("name").GetString());
            Assert.True(agentView.GetProperty("alive").GetBoolean());
            var schedule = Assert.Single(running.GetProperty("schedules").EnumerateArray());
            Assert.Equal(("ticks:ticks.yaml", "every-2s", "Europe/Paris", true), (schedule.GetProperty("pipeline").GetString(), schedule.GetProperty("name").GetString(), schedule.GetProperty("time_zone").GetString(), schedule.GetProperty("enabled").GetBoolean()));
            Assert.EndsWith("+01:00", schedule.GetProperty("next_fire").GetString(), StringComparison.Ordinal); // Paris in December
            var operation = running.GetProperty("running").EnumerateArray().First(o => o.GetProperty("read").GetInt64() > 0);
            Assert.Equal(("status-agent", "Load", "every-2s"), (operation.GetProperty("agent").GetString(), operation.GetProperty("operation").GetString(), operation.GetProperty("schedule").GetString()));
            Assert.InRange(operation.GetProperty("read").GetInt64(), 1, Rows);
            Assert.Equal(JsonValueKind.Null, operation.GetProperty("lease_token").ValueKind);
            Assert.Contains("<meta http-equiv=\"refresh\" content=\"3\">", page, StringComparison.Ordinal);
            Assert.Contains("status-agent", page, StringComparison.Ordinal);
            Assert.Contains("ticks:ticks.yaml every-2s (Europe/Paris, enabled): next ", page, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
            var cliOperation = Json(fromCli.Out).GetProperty("running").EnumerateArray().First(o => o.GetProperty("read").GetInt64() > 0);
            Assert.Equal(("status-agent", "Load"), (cliOperation.GetProperty("agent").GetString(), cliOperation.GetProperty("operation").GetString()));
            Assert.True(text.ExitCode == 0, text.ToString());
            Assert.Contains("status-agent: alive, last check-in ", text.Out, StringComparison.Ordinal);
            Assert.Contains("status-agent: ticks:ticks.yaml every-2s fire ", text.Out, StringComparison.Ordinal);

            // When: the run has finished
            var finished = Json(await WaitForAsync(async () => await http.GetStringAsync(address + "/status.json") is var s && Json(s).GetProperty("runs").GetArrayLength() > 0 ? s : null, agent, "a finished run"));

            // Then: the last run with its outcome and counts, and the schedule's last status
            var run = finished.GetProperty("runs").EnumerateArray().First();
            Assert.Equal(("success", "every-2s", (long)Rows, (long)Rows), (run.GetProperty("status").GetString(), run.GetProperty("schedule").GetString(), run.GetProperty("read").GetInt64(), run.GetProperty("written").GetInt64()));
            Assert.Equal("success", finished.GetProperty("schedules")[0].GetProperty("last_status").GetString());
        }
        finally
        {
            agent.Kill();
            await agent.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Agent_StatusPortTaken_ExitsAtOnceNamingThePortWithoutFiringAnything()
    {
        // Given: a schedule every 2 s, and the status port taken by another listener
        _folder.Write("signups.csv", "email\nuser1@example.com\n");
        _folder.Write("ticks.yaml", Pipeline);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        // When
        using var agent = Process.Start(ResumeTests.EtlProcess(["agent", _folder.Path, "--status-port", port.ToString(CultureInfo.InvariantCulture)]))!;
        var output = agent.StandardOutput.ReadToEndAsync();
        var error = agent.StandardError.ReadToEndAsync();
        try
        {
            await agent.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)); // it used to print the error and hang
        }
        finally
        {
            agent.Kill();
        }

        // Then: exit 1, the address named, and no fire ran (the port is bound before the scheduler starts)
        Assert.True(agent.ExitCode == 1, await output + await error);
        Assert.Contains($"error: cannot serve the status page on 127.0.0.1:{port} (--status-port): ", await error, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", await error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File("warehouse.db")));
    }

    [Fact]
    public async Task Status_StateFolderNoAgentUsed_SaysSoAndExits1()
    {
        var result = await Cli.RunAsync(["status", "--state-dir", _folder.File(".etl")]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no agent has used the state folder", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string Text(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, Process process, string what)
        where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, $"the agent exited before {what}");
            Assert.True(deadline.Elapsed < Patience, $"gave up waiting for {what}");
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }
    }
}
