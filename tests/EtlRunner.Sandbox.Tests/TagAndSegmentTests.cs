using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class TagAndSegmentTests
{
    [Fact]
    public async Task ContactTags_CreatePagedListRename_AndDuplicateNameIs409()
    {
        await using var api = await TestApi.StartAsync();
        var first = await api.PostAsync("/v3/contact_tags", new JsonObject { ["name"] = "VIP" });
        await api.PostAsync("/v3/contact_tags", new JsonObject { ["name"] = "Lead" });

        var duplicate = await api.PostAsync("/v3/contact_tags", new JsonObject { ["name"] = "vip" });
        var page = await api.GetAsync("/v3/contact_tags?limit=1");
        var next = await api.GetAsync(page.Object["_links"]!["next"]!["href"]!.GetValue<string>());
        var renamed = await api.PutAsync($"/v3/contact_tags/{first.Object["tag_id"]}", new JsonObject { ["name"] = "Gold" });

        Assert.Equal((201, 409), (first.Code, duplicate.Code));
        Assert.Equal(["VIP"], page.Object["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(["Lead"], next.Object["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal("Gold", renamed.Object["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeleteTag_Returns202Activity_AndUntagsEveryContactWhenCompleted()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(3));
        var old = (await api.PostAsync("/v3/contact_tags", new JsonObject { ["name"] = "Old" })).Object["tag_id"]!.GetValue<string>();
        var kept = (await api.PostAsync("/v3/contact_tags", new JsonObject { ["name"] = "Kept" })).Object["tag_id"]!.GetValue<string>();
        var contact = await api.CreateContactAsync("t@example.com", extra: new JsonObject { ["taggings"] = Bodies.Array(old, kept) });

        var reply = await api.DeleteAsync($"/v3/contact_tags/{old}");

        Assert.Equal(202, reply.Code);
        var activity = reply.Object["activity_id"]!.GetValue<string>();
        Assert.Equal($"/v3/activities/{activity}", reply.Headers.Location!.OriginalString);
        Assert.Equal("initialized", reply.Object["state"]!.GetValue<string>());
        Assert.Equal(200, (await api.GetAsync($"/v3/contact_tags/{old}")).Code);

        api.Clock!.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal("completed", (await api.GetAsync($"/v3/activities/{activity}")).Object["state"]!.GetValue<string>());
        Assert.Equal(404, (await api.GetAsync($"/v3/contact_tags/{old}")).Code);
        Assert.Equal(404, (await api.DeleteAsync($"/v3/contact_tags/{old}")).Code);
        Assert.Equal([Guid.Parse(kept)], api.Sandbox.Store.Contact(Guid.Parse(contact))!.Taggings);
        Assert.Equal(["Kept"], (await api.GetAsync("/v3/contact_tags")).Object["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(201, (await api.PostAsync("/v3/contact_tags", new JsonObject { ["name"] = "old" })).Code);
    }

    [Fact]
    public async Task Segments_AreSeeded_AndTheFirstContactSearchBySegmentIs202Processing()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateContactAsync("co@example.com", "Co", new JsonObject { ["company_name"] = "Acme" });
        await api.CreateContactAsync("solo@example.com", "Solo");
        var segments = (await api.GetAsync("/v3/segments")).Object["segments"]!.AsArray();
        var company = segments.Single(s => s!["name"]!.GetValue<string>() == "Has a company name")!["segment_id"]!.GetValue<int>();

        var first = await api.GetAsync($"/v3/contacts?segment_id={company}&limit=10");
        var second = await api.GetAsync($"/v3/contacts?segment_id={company}&limit=10");

        Assert.Equal(202, first.Code);
        Assert.Equal("processing", first.Object["status"]!.GetValue<string>());
        Assert.Equal(200, second.Code);
        Assert.Equal(["co@example.com"], second.Object["contacts"]!.AsArray().Select(c => c!["email_address"]!["address"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("status=all")]
    [InlineData("include=custom_fields")]
    [InlineData("email=a@example.com")]
    public async Task GetContacts_SegmentIdWithAnotherFilter_Returns400(string other)
    {
        await using var api = await TestApi.StartAsync();

        var reply = await api.GetAsync($"/v3/contacts?segment_id=1&{other}");

        Assert.Equal(400, reply.Code);
        Assert.Contains(reply.ErrorMessages, m => m.StartsWith("segment_id can only be combined with limit", StringComparison.Ordinal));
    }
}
