using EtlRunner.Connectors.ConstantContact.Tests.Support;
using EtlRunner.State;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests.Http;

/// <summary>
/// Two runs, each with its own <see cref="PostgresRequestGate"/> on its own connections (as two agents of a group
/// have), send to one account of a rate-limited sandbox: together they keep its limits.
/// </summary>
public sealed class SharedRequestGateTests
{
    [PostgresFact]
    public async Task Pacing_TwoRunsSharingAPostgresGate_StayWithinTheAccountsRateTogether()
    {
        // Given: the sandbox refuses (429) a fifth request in any sliding second; each run alone would send 4/s
        await using var harness = await SandboxHarness.StartAsync(rateLimit: true);
        await using var gateA = new PostgresRequestGate(PostgresServer.ConnectionString, TimeProvider.System);
        await using var gateB = new PostgresRequestGate(PostgresServer.ConnectionString, TimeProvider.System);
        await using var runA = harness.NewRun(gateA);
        await using var runB = harness.NewRun(gateB);

        // When: both create 12 contacts at once, one request each
        var a = runA.WriteAsync(ActivityKind.Create, New(12, "a"));
        var b = runB.WriteAsync(ActivityKind.Create, New(12, "b"));
        await Task.WhenAll(a, b);

        // Then: every contact is created and the sandbox never had more than 4 requests in a second
        Assert.Equal((12, 12), ((await a).Written, (await b).Written));
        Assert.Equal(24, harness.Sandbox.Stats.Count("POST /v3/contacts"));
        Assert.Equal(0, harness.Sandbox.Stats.CountStatus(429));
    }

    [PostgresFact]
    public async Task DailyRequestLimit_TwoRunsSharingAPostgresGate_ShareOneBudget()
    {
        // Given: 5 requests a day for the account
        await using var harness = await SandboxHarness.StartAsync();
        harness.Connection["daily_request_limit"] = 5L;
        await using var gateA = new PostgresRequestGate(PostgresServer.ConnectionString, TimeProvider.System);
        await using var gateB = new PostgresRequestGate(PostgresServer.ConnectionString, TimeProvider.System);
        await using var runA = harness.NewRun(gateA);
        await using var runB = harness.NewRun(gateB);

        // When: each run creates 4 contacts at the same time
        var a = runA.WriteAsync(ActivityKind.Create, New(4, "a"));
        var b = runB.WriteAsync(ActivityKind.Create, New(4, "b"));
        await Task.WhenAll(a, b);

        // Then: 5 were sent between them, and the one that met the limit stopped saying so
        Assert.Equal(5, (await a).Written + (await b).Written);
        Assert.Equal(5, harness.Sandbox.Stats.Total);
        Assert.Contains(new[] { (await a).StopReason, (await b).StopReason }, r => r?.Contains("daily_request_limit 5 reached", StringComparison.Ordinal) == true);
    }
}
