using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class ListAndFieldTests
{
    [Fact]
    public async Task Lists_CreateGetUpdateList_AndDuplicateNameConflicts()
    {
        await using var api = await TestApi.StartAsync();
        var id = await api.CreateListAsync("Customers");

        var duplicate = await api.PostAsync("/v3/contact_lists", new JsonObject { ["name"] = "customers" });
        var updated = await api.PutAsync($"/v3/contact_lists/{id}", new JsonObject { ["name"] = "VIP", ["favorite"] = true, ["description"] = "d" });
        var fetched = await api.GetAsync($"/v3/contact_lists/{id}?include_membership_count=all");
        var all = await api.GetAsync("/v3/contact_lists?include_count=true&name=VIP");

        Assert.Equal(409, duplicate.Code);
        Assert.Equal("contacts.api.conflict", duplicate.ErrorKey);
        Assert.Equal(200, updated.Code);
        Assert.True(updated.Object["favorite"]!.GetValue<bool>());
        Assert.Equal("VIP", fetched.Object["name"]!.GetValue<string>());
        Assert.Equal(0, fetched.Object["membership_count"]!.GetValue<int>());
        Assert.Equal(1, all.Object["lists_count"]!.GetValue<int>());
        Assert.Equal(404, (await api.GetAsync($"/v3/contact_lists/{Guid.NewGuid()}")).Code);
    }

    [Fact]
    public async Task Lists_PagingUsesCursor()
    {
        await using var api = await TestApi.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await api.CreateListAsync($"L{i}");
        }

        var first = await api.GetAsync("/v3/contact_lists?limit=3");
        var second = await api.GetAsync(first.Object["_links"]!["next"]!["href"]!.GetValue<string>());

        Assert.Equal(3, first.Object["lists"]!.AsArray().Count);
        Assert.Equal(["L3", "L4"], second.Object["lists"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DeleteList_Returns202Activity_AndRemovesMembershipsWhenCompleted()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(3));
        var list = await api.CreateListAsync("Old");
        var contact = await api.CreateContactAsync("m@example.com", extra: new JsonObject { ["list_memberships"] = Bodies.Array(list) });

        var reply = await api.DeleteAsync($"/v3/contact_lists/{list}");

        Assert.Equal(202, reply.Code);
        var activity = reply.Object["activity_id"]!.GetValue<string>();
        Assert.Equal($"/v3/activities/{activity}", reply.Headers.Location!.OriginalString);
        Assert.Equal("initialized", reply.Object["state"]!.GetValue<string>());
        Assert.Equal(200, (await api.GetAsync($"/v3/contact_lists/{list}")).Code);

        api.Clock!.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal("completed", (await api.GetAsync($"/v3/activities/{activity}")).Object["state"]!.GetValue<string>());
        Assert.Equal(404, (await api.GetAsync($"/v3/contact_lists/{list}")).Code);
        Assert.Empty(api.Sandbox.Store.Contact(Guid.Parse(contact))!.ListMemberships);
        var deletedLists = await api.GetAsync("/v3/contact_lists?status=deleted");
        Assert.Single(deletedLists.Object["lists"]!.AsArray());
    }

    [Fact]
    public async Task CustomFields_NameDerivedFromLabel_DuplicateConflicts_DeleteRemovesValues()
    {
        await using var api = await TestApi.StartAsync();
        var reply = await api.PostAsync("/v3/contact_custom_fields", new JsonObject { ["label"] = "Vehicle make and model", ["type"] = "string" });
        var id = reply.Object["custom_field_id"]!.GetValue<string>();
        var contact = await api.CreateContactAsync("c@example.com", extra: new JsonObject
        {
            ["custom_fields"] = new JsonArray(new JsonObject { ["custom_field_id"] = id, ["value"] = "Tesla" }),
        });

        Assert.Equal(201, reply.Code);
        Assert.Equal("Vehicle_make_and_model", reply.Object["name"]!.GetValue<string>());
        Assert.Equal(409, (await api.PostAsync("/v3/contact_custom_fields", new JsonObject { ["label"] = "Vehicle make and model", ["type"] = "string" })).Code);
        Assert.Equal(400, (await api.PostAsync("/v3/contact_custom_fields", new JsonObject { ["label"] = "No type" })).Code);
        var renamed = await api.PutAsync($"/v3/contact_custom_fields/{id}", new JsonObject { ["label"] = "Car" });
        Assert.Equal("Car", renamed.Object["name"]!.GetValue<string>());
        Assert.Equal("string", renamed.Object["type"]!.GetValue<string>());
        Assert.Single((await api.GetAsync("/v3/contact_custom_fields")).Object["custom_fields"]!.AsArray());

        Assert.Equal(204, (await api.DeleteAsync($"/v3/contact_custom_fields/{id}")).Code);

        Assert.Equal(404, (await api.GetAsync($"/v3/contact_custom_fields/{id}")).Code);
        Assert.Empty(api.Sandbox.Store.Contact(Guid.Parse(contact))!.CustomFields);
    }
}
