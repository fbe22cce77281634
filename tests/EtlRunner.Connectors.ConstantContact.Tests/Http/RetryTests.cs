using EtlRunner.Connectors.ConstantContact.Tests.Support;
using EtlRunner.Sandbox;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests.Http;

public sealed class RetryTests
{
    [Fact]
    public async Task Throttled_Faults_AreRetriedAndReported()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(faults: "429=0.3,seed=7");
        var context = new RecordingContext();

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, New(20), context: context);

        // Then
        Assert.Equal(20, outcome.Written);
        Assert.True(harness.Sandbox.Stats.Faults(FaultKind.Throttled) > 0);
        Assert.Equal(20, harness.Sandbox.Store.Contacts().Count);
        Assert.Contains(context.Waits, w => w?.StartsWith("throttled by Constant Contact (429), retry 1/5 in ", StringComparison.Ordinal) == true);
        Assert.Null(context.Waits.Last());
    }

    [Fact]
    public async Task ServerErrors_AreRetried_WithoutDuplicates()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(30), faults: "500=0.2,503=0.15,seed=3");

        // When
        var read = await harness.QueryAsync(Params(("limit", 4L)));
        var outcome = await harness.WriteAsync(ActivityKind.Create, New(20));

        // Then
        Assert.Equal(30, read.Count);
        Assert.Equal(20, outcome.Written);
        Assert.Equal(50, harness.Sandbox.Store.Contacts().Count);
        Assert.True(harness.Sandbox.Stats.CountStatus(500) + harness.Sandbox.Stats.CountStatus(503) > 0);
    }

    [Fact]
    public async Task LostAnswers_OnPost_AreCheckedNotResentBlindly()
    {
        // Given: timeouts (no change) and cuts (change made, answer lost)
        await using var harness = await SandboxHarness.StartAsync(faults: "timeout=0.12,cut=0.2,malformed=0.1,seed=11,delay=4s");
        harness.Connection["timeout_seconds"] = 1L;

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, New(20));

        // Then
        Assert.Equal(20, outcome.Written);
        Assert.Empty(outcome.Rejected);
        var contacts = harness.Sandbox.Store.Contacts();
        Assert.Equal(20, contacts.Count);
        Assert.Equal(20, contacts.Select(c => c.Email).Distinct().Count());
        Assert.True(harness.Sandbox.Stats.Faults(FaultKind.Cut) > 0);
        Assert.True(harness.Sandbox.Stats.Faults(FaultKind.Timeout) > 0);
        Assert.Equal(0, harness.Sandbox.Stats.Count("POST /v3/contacts", 409));
        Assert.True(harness.Sandbox.Stats.Count("GET /v3/contacts") > 0, "lost answers were checked by email");
    }

    [Fact]
    public async Task LostPost_NotTakenEffect_IsSentAgainByTheRetryPolicy()
    {
        // Given: every third request stalls past timeout_seconds (the POST's answer is lost, nothing created)
        await using var harness = await SandboxHarness.StartAsync(faults: "timeout=0.35,seed=2,delay=3s");
        harness.Connection["timeout_seconds"] = 1L;
        var context = new RecordingContext();

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, New(4), context: context);

        // Then: resent with the policy's backoff and report, never duplicated
        Assert.Equal(4, outcome.Written);
        Assert.Equal(4, harness.Sandbox.Store.Contacts().Count);
        Assert.True(harness.Sandbox.Stats.Faults(FaultKind.Timeout) > 0);
        Assert.Contains(context.Waits, w => w?.Contains("it did not take effect, retry 1/5 in ", StringComparison.Ordinal) == true);
        Assert.Null(context.Waits.Last());
    }

    [Fact]
    public async Task Malformed_OnGet_IsRetried()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(12), faults: "malformed=0.3,seed=5");

        // When
        var read = await harness.QueryAsync(Params(("limit", 3L)));

        // Then
        Assert.Equal(12, read.Count);
        Assert.Equal(12, read.Select(r => r["contact_id"]).Distinct().Count());
        Assert.True(harness.Sandbox.Stats.Faults(FaultKind.Malformed) > 0);
    }

    [Fact]
    public async Task QuotaExceeded_StopsWithTheRestRejected()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(rateLimit: true, dailyRequestLimit: 5);

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, New(9), batchSize: 4);

        // Then
        Assert.Equal(5, outcome.Written);
        Assert.Equal(3, outcome.Rejected.Count); // the engine accounts the batch it no longer feeds
        Assert.StartsWith("Constant Contact daily request quota exhausted (429 quota_exceeded): ", outcome.StopReason, StringComparison.Ordinal);
        Assert.EndsWith("runs again after 00:00 UTC", outcome.StopReason, StringComparison.Ordinal);
        Assert.All(outcome.Rejected, r => Assert.Equal("quota_exceeded", r.Code));
        Assert.Equal(1, harness.Sandbox.Stats.CountStatus(429));
    }

    [Fact]
    public async Task DailyRequestLimit_OwnCount_StopsWithoutSending()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync();
        harness.Connection["daily_request_limit"] = 3L;

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, New(5));
        var nextRun = await harness.WriteAsync(ActivityKind.Create, New(2, "later"));

        // Then
        Assert.Equal(3, outcome.Written);
        Assert.Contains("daily_request_limit 3 reached", outcome.StopReason, StringComparison.Ordinal);
        Assert.Equal(0, nextRun.Written);
        Assert.NotNull(nextRun.StopReason);
        Assert.Equal(3, harness.Sandbox.Stats.Total);
    }
}
