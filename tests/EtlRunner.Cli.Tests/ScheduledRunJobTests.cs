using System.Collections.Concurrent;
using EtlRunner.Cli.Agent;
using EtlRunner.Model;
using EtlRunner.Testing;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Xunit.Abstractions;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// The fire time a scheduled run is for, taken from a real Quartz scheduler on the agent's SQLite job store.
/// </summary>
[Collection(AgentTests.Collection)]
public sealed class ScheduledRunJobTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task FireTimeOf_SkippedMisfireMovedToAFireTimeWithinHalfASecond_IsThatFiresOwnTime()
    {
        // Given: a 2-second cron trigger with misfire skip (Quartz's DoNothing) in the agent's SQLite job store, fired
        // once, then its scheduler stopped for longer than the misfire threshold
        var fires = new ConcurrentQueue<(DateTimeOffset? Scheduled, DateTimeOffset Taken, DateTimeOffset Fired)>();
        var first = await SchedulerAsync(fires);
        await first.ScheduleJob(
            JobBuilder.Create<RecordingJob>().WithIdentity("every-2s", "ticks:ticks.yaml").StoreDurably().Build(),
            [TriggerBuilder.Create().WithIdentity("every-2s", "ticks:ticks.yaml")
                .WithSchedule(CronScheduleBuilder.Create("*/2 * * * * ?").InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)).Build()],
            new ScheduleJobOptions { Replace = true });
        await first.Start();
        await WaitForAsync(() => !fires.IsEmpty, "a first fire");
        await first.Shutdown(true);
        await Task.Delay(AgentScheduler.MisfireThreshold + TimeSpan.FromSeconds(3));
        fires.Clear();

        // When: it starts again 300 ms before an even second, so the fire time the misfire moves to is within 500 ms
        // of handling it (when Quartz reports the missed time as the next fire's scheduled time)
        var second = await SchedulerAsync(fires);
        while (DateTimeOffset.UtcNow is var now && (now.Second % 2 != 1 || now.Millisecond is < 650 or > 750))
        {
            await Task.Delay(10);
        }

        var start = DateTimeOffset.UtcNow;
        await second.Start();
        await WaitForAsync(() => fires.Count >= 2, "two fires after the restart");
        await second.Shutdown(true);

        // Then: each fire is for its own cron time, after the restart, never the missed one
        output.WriteLine($"restarted {start:HH:mm:ss.fff}; fires (Quartz's scheduled time, the time taken, fired at): {string.Join("; ", fires.Select(f => $"{f.Scheduled:HH:mm:ss}, {f.Taken:HH:mm:ss}, {f.Fired:HH:mm:ss.fff}"))}");
        Assert.All(fires, f =>
        {
            Assert.True(f.Taken >= start.AddSeconds(-1), $"a fire at {f.Fired:o} was taken for {f.Taken:o}, a time skip skipped (Quartz said {f.Scheduled:o})");
            Assert.Equal(0, f.Taken.Second % 2);
            Assert.InRange(f.Fired - f.Taken, TimeSpan.Zero, AgentScheduler.MisfireThreshold);
        });
    }

    private Task<IScheduler> SchedulerAsync(ConcurrentQueue<(DateTimeOffset? Scheduled, DateTimeOffset Taken, DateTimeOffset Fired)> fires) =>
        QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(o => (o.InstanceName, o.InstanceId) = ("etl-agent", "fire-time-test"));
            q.Services.AddSingleton(fires);
            q.UsePersistentStore(store =>
            {
                store.UseSqlite($"Data Source={_folder.File("schedule.db")}");
                store.ProvisionSchema();
                store.ConfigureStore(o => o.MisfireThreshold = AgentScheduler.MisfireThreshold);
            });
        }).BuildScheduler().AsTask();

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"gave up waiting for {what}");
            await Task.Delay(20);
        }
    }

    public void Dispose() => _folder.Dispose();

    private sealed class RecordingJob(ConcurrentQueue<(DateTimeOffset? Scheduled, DateTimeOffset Taken, DateTimeOffset Fired)> fires) : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            fires.Enqueue((context.ScheduledFireTimeUtc, ScheduledRunJob.FireTimeOf(context, ScheduleMisfire.Skip), context.FireTimeUtc));
            return ValueTask.CompletedTask;
        }
    }
}
