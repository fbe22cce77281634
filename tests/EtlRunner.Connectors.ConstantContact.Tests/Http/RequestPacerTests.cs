using System.Diagnostics;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests.Http;

public sealed class RequestPacerTests
{
    [Fact]
    public async Task Acquire_FifthWithinAWindow_WaitsOneWindowAfterTheFirstAnswer()
    {
        // Given
        var time = new FakeTimeProvider();
        using var pacer = RequestPacer.PerSecond(4, time);
        var leases = new List<IDisposable>();
        for (var i = 0; i < 4; i++)
        {
            leases.Add(await pacer.AcquireAsync(1));
        }

        // When
        var fifth = pacer.AcquireAsync(1).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(300));
        leases[0].Dispose();
        time.Advance(TimeSpan.FromMilliseconds(900));
        var waitedTooLittle = fifth.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(200));
        using var lease = await fifth.WaitAsync(TimeSpan.FromSeconds(5));

        // Then
        Assert.False(waitedTooLittle);
        Assert.True(lease.IsAcquired);
    }

    [Fact]
    public void PerSecond_BelowOne_SpacesRequestsFurtherApart()
    {
        // Given
        var time = new FakeTimeProvider();
        using var pacer = RequestPacer.PerSecond(0.5, time);

        // When
        using var first = pacer.AttemptAcquire();
        first.Dispose();
        time.Advance(TimeSpan.FromSeconds(1.5));
        using var tooSoon = pacer.AttemptAcquire();
        time.Advance(TimeSpan.FromSeconds(0.6));
        using var later = pacer.AttemptAcquire();

        // Then
        Assert.True(first.IsAcquired);
        Assert.False(tooSoon.IsAcquired);
        Assert.True(later.IsAcquired);
    }

    [Fact]
    public async Task Pacing_AgainstARateLimitedServer_NeverCausesA429()
    {
        // Given: the sandbox enforces 4 requests in any sliding second
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(24, onListA: true), rateLimit: true);
        await using var run = harness.NewRun();
        var watch = Stopwatch.StartNew();

        // When: two operations of one run share the connection's pacing
        var query = run.QueryAsync(Params(("limit", 2L), ("lists", new[] { SeedData.ListA.ToString() })));
        var create = run.WriteAsync(ActivityKind.Create, New(10));
        await Task.WhenAll(query, create);

        // Then: 12 pages + 10 creates = 22 requests, at most 4 per second
        Assert.Equal(24, (await query).Count);
        Assert.Equal(10, (await create).Written);
        Assert.Equal(22, harness.Sandbox.Stats.Total);
        Assert.Equal(0, harness.Sandbox.Stats.CountStatus(429));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(4.5), $"22 requests at 4/s took only {watch.Elapsed}");
    }
}
