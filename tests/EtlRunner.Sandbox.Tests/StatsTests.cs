using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class StatsTests
{
    [Fact]
    public async Task Stats_CountByRouteTemplateAndStatus_AndServeJsonWithoutCountingItself()
    {
        await using var api = await TestApi.StartAsync();
        var id = await api.CreateContactAsync("s@example.com");
        await api.GetAsync($"/v3/contacts/{id}");
        await api.GetAsync($"/v3/contacts/{Guid.NewGuid()}");
        await api.PostAsync("/v3/contacts", Bodies.Contact("s@example.com"));
        Assert.Equal(404, (await api.GetAsync("/v3/nothing/here")).Code);
        api.UseToken(null);

        var reply = await api.GetAsync("/_sandbox/stats");

        var stats = api.Sandbox.Stats;
        Assert.Equal(5, stats.Total);
        Assert.Equal(1, stats.Count("POST /v3/contacts", 201));
        Assert.Equal(1, stats.Count("POST /v3/contacts", 409));
        Assert.Equal(2, stats.Count("GET /v3/contacts/{contact_id}"));
        Assert.Equal(2, stats.CountStatus(404));
        Assert.Equal(200, reply.Code);
        var json = reply.Object;
        Assert.Equal(5, json["total"]!.GetValue<long>());
        Assert.Equal(1, json["routes"]!["GET /v3/contacts/{contact_id}"]!["statuses"]!["404"]!.GetValue<long>());
        Assert.Equal(json.ToJsonString(), JsonNode.Parse(stats.ToJson())!.ToJsonString());
        Assert.Contains("POST /v3/contacts", stats.Format(), StringComparison.Ordinal);
        Assert.Contains("201=1", stats.Format(), StringComparison.Ordinal);
    }
}
