using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task MoreThanFourRequestsInOneSecond_Returns429Throttled_WithoutRetryAfter()
    {
        await using var api = await TestApi.StartFakeAsync(rateLimit: true);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(200, (await api.GetAsync("/v3/contacts")).Code);
        }

        var throttled = await api.GetAsync("/v3/contacts");

        Assert.Equal(429, throttled.Code);
        Assert.Equal("""{"error_key":"throttled","error_message":"Too Many Requests"}""", throttled.Body);
        Assert.Null(throttled.Headers.RetryAfter);
        api.Clock!.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(429, (await api.GetAsync("/v3/contacts")).Code);
        api.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(200, (await api.GetAsync("/v3/contacts")).Code);
    }

    [Fact]
    public async Task ThrottledWrite_DoesNotChangeData_AndCountsInStats()
    {
        await using var api = await TestApi.StartFakeAsync(rateLimit: true, rps: 1);
        Assert.Equal(200, (await api.GetAsync("/v3/contacts")).Code);

        var reply = await api.PostAsync("/v3/contacts", Bodies.Contact("t@example.com"));

        Assert.Equal(429, reply.Code);
        Assert.Empty(api.Sandbox.Store.Contacts());
        Assert.Equal(1, api.Sandbox.Stats.Count("POST /v3/contacts", 429));
    }

    [Fact]
    public async Task DailyQuota_Returns429QuotaExceeded_UntilNextUtcDay()
    {
        await using var api = await TestApi.StartFakeAsync(rateLimit: true, rps: 100, daily: 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await api.GetAsync("/v3/contacts")).Code);
            api.Clock!.Advance(TimeSpan.FromSeconds(1));
        }

        var over = await api.GetAsync("/v3/contacts");
        api.Clock!.Advance(TimeSpan.FromHours(11.9));
        var stillOver = await api.GetAsync("/v3/contacts");
        api.Clock.Advance(TimeSpan.FromHours(0.1));
        var nextDay = await api.GetAsync("/v3/contacts");

        Assert.Equal(429, over.Code);
        Assert.Equal("""{"error_key":"quota_exceeded","error_message":"Limit Exceeded"}""", over.Body);
        Assert.Equal(429, stillOver.Code);
        Assert.Equal(200, nextDay.Code);
    }

    [Fact]
    public async Task Unauthenticated_RequestsDoNotUseTheQuota()
    {
        await using var api = await TestApi.StartFakeAsync(rateLimit: true, rps: 100, daily: 1);
        api.UseToken("wrong");
        Assert.Equal(401, (await api.GetAsync("/v3/contacts")).Code);
        Assert.Equal(401, (await api.GetAsync("/v3/contacts")).Code);

        api.UseToken(SandboxDefaults.AccessToken);

        Assert.Equal(200, (await api.GetAsync("/v3/contacts")).Code);
    }

    [Fact]
    public async Task RateLimitOff_AllowsBursts()
    {
        await using var api = await TestApi.StartFakeAsync(rateLimit: false, rps: 1, daily: 1);
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => api.GetAsync("/v3/contact_lists")));

        Assert.All(replies, r => Assert.Equal(200, r.Code));
        Assert.Equal(10, api.Sandbox.Stats.Count("GET /v3/contact_lists", 200));
    }
}
