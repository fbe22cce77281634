using System.Diagnostics;
using EtlRunner.Scheduling;
using Quartz;

namespace EtlRunner.State.Tests;

/// <summary>A group's board in PostgreSQL: the agents are Quartz's own check-ins, the running operations what each agent last published.</summary>
public sealed class PostgresAgentBoardTests
{
    [PostgresFact]
    public async Task Read_AgentsOfAGroup_ShowsQuartzCheckInsAndWhatEachAgentLastPublished()
    {
        // Given: a clustered Quartz scheduler of the group checking in as agent-a, and two agents' boards
        var group = "group-" + Guid.NewGuid().ToString("N")[..8];
        var scheduler = await PostgresServer.ClusteredSchedulerAsync(PostgresSchema.SchedulerName(group), "agent-a");
        await scheduler.Start();
        try
        {
            await using var boardA = new PostgresAgentBoard(PostgresServer.ConnectionString, group);
            await using var boardB = new PostgresAgentBoard(PostgresServer.ConnectionString, group);
            var now = DateTimeOffset.UtcNow;
            var fire = new DateTimeOffset(2026, 12, 2, 8, 15, 0, TimeSpan.Zero);
            RunningOperation Op(string agent, string pipeline, long read) => new(agent, pipeline, "hourly", fire, "Load", read, 0, read - 1, 0, 1, now);

            // When: agent-a publishes twice (the second replaces the first), agent-b once
            boardA.Publish(new AgentView("agent-a", group, now, true), [Op("agent-a", "p:one.yaml", 10), Op("agent-a", "p:two.yaml", 5)]);
            boardB.Publish(new AgentView("agent-b", group, now, true), [Op("agent-b", "p:three.yaml", 7)]);
            boardA.Publish(new AgentView("agent-a", group, now, true), [Op("agent-a", "p:one.yaml", 40)]);
            var watch = Stopwatch.StartNew();
            var (agents, running) = boardB.Read(DateTimeOffset.UtcNow);
            while (agents.Count == 0 && watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
                (agents, running) = boardB.Read(DateTimeOffset.UtcNow);
            }

            // Then: agent-a as Quartz sees it, alive; each agent's last word, with no lease (no lease table yet)
            var agent = Assert.Single(agents);
            Assert.Equal(("agent-a", group, true), (agent.Name, agent.Group, agent.Alive));
            Assert.Equal(
                [("agent-a", "p:one.yaml", 40L), ("agent-b", "p:three.yaml", 7L)],
                running.Select(r => (r.Agent, r.Pipeline, r.Read)).OrderBy(r => r.Agent, StringComparer.Ordinal));
            Assert.All(running, r => Assert.True(r.Counts.Balanced));
            Assert.All(running, r => Assert.Equal(fire, r.FireTime));
            Assert.All(running, r => Assert.Null(r.LeaseToken));
        }
        finally
        {
            await scheduler.Shutdown(false);
        }
    }
}
