using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class MembershipActivityTests
{
    private static JsonObject Bulk(string targetKey, string[] targets, params string[] contacts) => new()
    {
        ["source"] = new JsonObject { ["contact_ids"] = Bodies.Array(contacts) },
        [targetKey] = Bodies.Array(targets),
    };

    private static async Task<JsonObject> CompleteAsync(TestApi api, Reply reply)
    {
        Assert.True(reply.Code == 201, reply.ToString());
        Assert.Equal("initialized", reply.Object["state"]!.GetValue<string>());
        api.Clock!.Advance(TimeSpan.FromSeconds(2));
        return (await api.GetAsync($"/v3/activities/{reply.Object["activity_id"]}")).Object;
    }

    [Fact]
    public async Task AddAndRemoveListMemberships_ChangeOnlyTheGivenLists_AtCompletion()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(1));
        var keep = await api.CreateListAsync("Keep");
        var target = await api.CreateListAsync("Target");
        var a = await api.CreateContactAsync("a@example.com", "A", new JsonObject { ["list_memberships"] = Bodies.Array(keep) });
        var b = await api.CreateContactAsync("b@example.com", "B");

        var add = await api.PostAsync("/v3/activities/add_list_memberships", Bulk("list_ids", [target], a, b));
        Assert.Equal(2, add.Object["status"]!["items_total_count"]!.GetValue<int>());
        Assert.Equal(1, add.Object["status"]!["list_count"]!.GetValue<int>());
        Assert.Empty(api.Sandbox.Store.ContactByEmail("b@example.com")!.ListMemberships);
        var added = await CompleteAsync(api, add);

        Assert.Equal("completed", added["state"]!.GetValue<string>());
        Assert.Equal([Guid.Parse(keep), Guid.Parse(target)], api.Sandbox.Store.ContactByEmail("a@example.com")!.ListMemberships);
        Assert.Equal([Guid.Parse(target)], api.Sandbox.Store.ContactByEmail("b@example.com")!.ListMemberships);

        await CompleteAsync(api, await api.PostAsync("/v3/activities/remove_list_memberships", Bulk("list_ids", [target], a)));

        Assert.Equal([Guid.Parse(keep)], api.Sandbox.Store.ContactByEmail("a@example.com")!.ListMemberships);
        Assert.Equal([Guid.Parse(target)], api.Sandbox.Store.ContactByEmail("b@example.com")!.ListMemberships);
    }

    [Fact]
    public async Task AddAndRemoveTaggings_ChangeOnlyTheGivenTags_AndReportUnknownContactsAsActivityErrors()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(1));
        var vip = (await api.PostAsync("/v3/contact_tags", new JsonObject { ["name"] = "VIP" })).Object["tag_id"]!.GetValue<string>();
        var lead = (await api.PostAsync("/v3/contact_tags", new JsonObject { ["name"] = "Lead" })).Object["tag_id"]!.GetValue<string>();
        var a = await api.CreateContactAsync("a@example.com", "A");
        var missing = Guid.NewGuid().ToString();

        var added = await CompleteAsync(api, await api.PostAsync("/v3/activities/contacts_taggings_add", Bulk("tag_ids", [vip, lead], a, missing)));
        await CompleteAsync(api, await api.PostAsync("/v3/activities/contacts_taggings_remove", Bulk("tag_ids", [lead], a)));

        Assert.Equal([$"contact_id {missing} was not found."], added["activity_errors"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal([Guid.Parse(vip)], api.Sandbox.Store.ContactByEmail("a@example.com")!.Taggings);
        var tag = (await api.GetAsync($"/v3/contact_tags/{vip}?include_count=true")).Object;
        Assert.Equal(1, tag["contacts_count"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("/v3/activities/add_list_memberships", "list_ids")]
    [InlineData("/v3/activities/remove_list_memberships", "list_ids")]
    [InlineData("/v3/activities/contacts_taggings_add", "tag_ids")]
    [InlineData("/v3/activities/contacts_taggings_remove", "tag_ids")]
    public async Task BulkMembership_Over500ContactsOr50Targets_Returns400(string path, string targetKey)
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(1));
        var contacts = Enumerable.Range(0, 501).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var targets = Enumerable.Range(0, 51).Select(_ => Guid.NewGuid().ToString()).ToArray();

        var tooManyContacts = await api.PostAsync(path, Bulk(targetKey, [targets[0]], contacts));
        var tooManyTargets = await api.PostAsync(path, Bulk(targetKey, targets, contacts[0]));

        Assert.Equal(400, tooManyContacts.Code);
        Assert.Contains("source.contact_ids can contain at most 500 items.", tooManyContacts.ErrorMessages);
        Assert.Equal(400, tooManyTargets.Code);
        Assert.Contains($"{targetKey} can contain at most 50 items.", tooManyTargets.ErrorMessages);
    }

    [Fact]
    public async Task BulkMembership_UnknownListOrTag_Returns400NamingIt()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(1));
        var a = await api.CreateContactAsync("a@example.com", "A");
        var unknown = Guid.NewGuid().ToString();

        var list = await api.PostAsync("/v3/activities/add_list_memberships", Bulk("list_ids", [unknown], a));
        var tag = await api.PostAsync("/v3/activities/contacts_taggings_add", Bulk("tag_ids", [unknown], a));

        Assert.Equal((400, 400), (list.Code, tag.Code));
        Assert.Contains($"list_ids: list_id {unknown} does not exist.", list.ErrorMessages);
        Assert.Contains($"tag_ids: tag_id {unknown} does not exist.", tag.ErrorMessages);
        Assert.Empty(api.Sandbox.Store.Activities());
    }

    [Fact]
    public async Task AddListMemberships_BeyondFiftyListsForAContact_SkipsItWithAnActivityError()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(1));
        var lists = new List<string>();
        for (var i = 0; i < 51; i++)
        {
            lists.Add(await api.CreateListAsync($"L{i}"));
        }

        var a = await api.CreateContactAsync("a@example.com", "A", new JsonObject { ["list_memberships"] = Bodies.Array([.. lists.Take(50)]) });

        var done = await CompleteAsync(api, await api.PostAsync("/v3/activities/add_list_memberships", Bulk("list_ids", [lists[50]], a)));

        Assert.Equal([$"contact_id {a} would have more than 50 list memberships."], done["activity_errors"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(50, api.Sandbox.Store.ContactByEmail("a@example.com")!.ListMemberships.Count);
    }
}
