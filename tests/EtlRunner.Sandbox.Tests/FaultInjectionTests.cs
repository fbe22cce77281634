using System.Diagnostics;
using System.Text.Json;
using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class FaultInjectionTests
{
    private static Task<TestApi> StartAsync(string faults) =>
        TestApi.StartAsync(new SandboxOptions { RateLimit = false, Faults = faults });

    [Theory]
    [InlineData("500=1", 500, "server_error")]
    [InlineData("503=1", 503, "service_unavailable")]
    public async Task ServerErrorFaults_AnswerArrayBody_AndDoNotChangeData(string faults, int status, string key)
    {
        await using var api = await StartAsync(faults);

        var reply = await api.PostAsync("/v3/contacts", Bodies.Contact("f@example.com"));

        Assert.Equal(status, reply.Code);
        Assert.Equal(key, reply.ErrorKey);
        Assert.Empty(api.Sandbox.Store.Contacts());
        Assert.Equal(1, api.Sandbox.Stats.Count("POST /v3/contacts", status));
    }

    [Fact]
    public async Task ThrottleFault_AnswersThrottledBody()
    {
        await using var api = await StartAsync("429=1");

        var reply = await api.GetAsync("/v3/contacts");

        Assert.Equal(429, reply.Code);
        Assert.Equal("""{"error_key":"throttled","error_message":"Too Many Requests"}""", reply.Body);
        Assert.Equal(1, api.Sandbox.Stats.Faults(FaultKind.Throttled));
    }

    [Fact]
    public async Task MalformedFault_Answers200WithInvalidJson_AndDoesNotChangeData()
    {
        await using var api = await StartAsync("malformed=1");

        var reply = await api.PostAsync("/v3/contacts", Bodies.Contact("m@example.com"));

        Assert.Equal(200, reply.Code);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(reply.Body));
        Assert.Empty(api.Sandbox.Store.Contacts());
    }

    [Fact]
    public async Task CutFault_AbortsAfterTheWrite_OutcomeUnknownToClient()
    {
        await using var api = await StartAsync("cut=1");

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => api.PostAsync("/v3/contacts", Bodies.Contact("cut@example.com")));

        Assert.NotNull(api.Sandbox.Store.ContactByEmail("cut@example.com"));
        Assert.Equal(1, api.Sandbox.Stats.Count("POST /v3/contacts", 201));
        Assert.Equal(1, api.Sandbox.Stats.Faults(FaultKind.Cut));
    }

    [Fact]
    public async Task CutFault_OnBodylessDelete_StillDeletes()
    {
        await using var api = await StartAsync("cut=1,after=1");
        var created = await api.PostAsync("/v3/contacts", Bodies.Contact("d@example.com"));
        var id = created.Object["contact_id"]!.GetValue<string>();

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => api.DeleteAsync($"/v3/contacts/{id}"));

        Assert.True(api.Sandbox.Store.Contact(Guid.Parse(id))!.IsDeleted);
    }

    [Fact]
    public async Task After_LetsTheFirstRequestsThrough()
    {
        await using var api = await StartAsync("500=1,after=3");

        var codes = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            codes.Add((await api.GetAsync("/v3/contacts")).Code);
        }

        Assert.Equal([200, 200, 200, 500, 500], codes);
    }

    [Fact]
    public async Task SameSeed_GivesSameFaultSequence()
    {
        async Task<List<int>> RunAsync(string faults)
        {
            await using var api = await StartAsync(faults);
            var codes = new List<int>();
            for (var i = 0; i < 30; i++)
            {
                codes.Add((await api.GetAsync("/v3/contact_lists")).Code);
            }

            return codes;
        }

        var first = await RunAsync("500=0.3,503=0.3,seed=7");
        var second = await RunAsync("500=0.3,503=0.3,seed=7");

        Assert.Equal(first, second);
        Assert.Contains(200, first);
        Assert.Contains(500, first);
        Assert.Contains(503, first);
    }

    [Fact]
    public async Task TimeoutFault_StallsForTheDelay_ThenAnswers504()
    {
        await using var api = await StartAsync("timeout=1,delay=300ms");
        var watch = Stopwatch.StartNew();

        var reply = await api.GetAsync("/v3/contacts");

        Assert.Equal(504, reply.Code);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task TimeoutFault_IsCancelledWhenTheServerStops()
    {
        var api = await StartAsync("timeout=1");
        var pending = api.GetAsync("/v3/contacts");
        await Task.Delay(200);
        var watch = Stopwatch.StartNew();

        await api.Sandbox.DisposeAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), watch.Elapsed.ToString());
        await Assert.ThrowsAnyAsync<Exception>(() => pending);
        api.Http.Dispose();
    }

    [Fact]
    public async Task Faults_DoNotApplyOutsideV3()
    {
        await using var api = await StartAsync("500=1");

        Assert.Equal(200, (await TokenEndpointTests.RefreshAsync(api, SandboxDefaults.RefreshToken)).Code);
        Assert.Equal(200, (await api.GetAsync("/_sandbox/stats")).Code);
    }
}
