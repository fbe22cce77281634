using System.Diagnostics;
using System.Text.Json;
using EtlRunner.Scheduling;
using EtlRunner.State;
using EtlRunner.Testing;
using Quartz;

namespace EtlRunner.Cli.Tests;

/// <summary><c>etl status --cluster</c> reads a group from PostgreSQL: Quartz's check-ins and clustered store, and the agents' board.</summary>
public sealed class ClusterStatusTests
{
    [PostgresFact]
    public async Task Status_Cluster_ShowsTheGroupsAgentsItsScheduleInItsZoneAndTheRunningOperations()
    {
        // Given: agent-a of a group checked in with Quartz's clustered store, a schedule in Europe/Paris, and a run it published
        var group = "group-" + Guid.NewGuid().ToString("N")[..8];
        var scheduler = await PostgresServer.ClusteredSchedulerAsync(PostgresSchema.SchedulerName(group), "agent-a");
        await scheduler.ScheduleJob(
            JobBuilder.Create<IdleJob>().WithIdentity("hourly", "export:export.yaml").WithDescription("/srv/export.yaml").StoreDurably().Build(),
            [TriggerBuilder.Create().WithIdentity("hourly", "export:export.yaml").WithSchedule(CronScheduleBuilder.Create("0 15 * * * ?").InTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"))).Build()],
            new ScheduleJobOptions { Replace = true });
        await scheduler.Start();
        await using var board = new PostgresAgentBoard(PostgresServer.ConnectionString, group);
        var fire = new DateTimeOffset(2026, 12, 2, 7, 15, 0, TimeSpan.Zero);
        board.Publish(new AgentView("agent-a", group, DateTimeOffset.UtcNow, true), [new RunningOperation("agent-a", "export:export.yaml", "hourly", fire, "Mirror", 12, 2, 9, 0, 1, DateTimeOffset.UtcNow)]);
        try
        {
            // When
            var watch = Stopwatch.StartNew();
            CliResult result;
            do
            {
                result = await Cli.RunAsync(["status", "--cluster", PostgresServer.ConnectionString, "--group", group, "--output", "json"]);
            }
            while (result.ExitCode == 0 && !result.Out.Contains("agent-a\"", StringComparison.Ordinal) && watch.Elapsed < TimeSpan.FromSeconds(30));

            // Then
            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(result.Out);
            var agent = Assert.Single(json.RootElement.GetProperty("agents").EnumerateArray());
            Assert.Equal(("agent-a", group, true), (agent.GetProperty("name").GetString(), agent.GetProperty("group").GetString(), agent.GetProperty("alive").GetBoolean()));
            Assert.Equal("export:export.yaml hourly 2026-12-02T07:15:00Z", Assert.Single(agent.GetProperty("running").EnumerateArray()).GetString());
            var schedule = Assert.Single(json.RootElement.GetProperty("schedules").EnumerateArray());
            Assert.Equal(("hourly", "Europe/Paris"), (schedule.GetProperty("name").GetString(), schedule.GetProperty("time_zone").GetString()));
            Assert.EndsWith(":15:00+01:00", schedule.GetProperty("next_fire").GetString(), StringComparison.Ordinal);
            var running = Assert.Single(json.RootElement.GetProperty("running").EnumerateArray());
            Assert.Equal(("Mirror", 12L, 9L, 1L), (running.GetProperty("operation").GetString(), running.GetProperty("read").GetInt64(), running.GetProperty("written").GetInt64(), running.GetProperty("rejected").GetInt64()));
        }
        finally
        {
            await scheduler.Shutdown(false);
        }
    }

    private sealed class IdleJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
