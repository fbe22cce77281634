using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class SignUpFormTests
{
    [Fact]
    public async Task SignUpForm_NewEmail_Returns201Created_WithExplicitPermission()
    {
        await using var api = await TestApi.StartAsync();
        var list = await api.CreateListAsync("Web");

        var reply = await api.PostAsync("/v3/contacts/sign_up_form", new JsonObject
        {
            ["email_address"] = "new@example.com",
            ["first_name"] = "Nia",
            ["list_memberships"] = Bodies.Array(list),
        });

        Assert.Equal(201, reply.Code);
        Assert.Equal("created", reply.Object["action"]!.GetValue<string>());
        var stored = api.Sandbox.Store.Contact(Guid.Parse(reply.Object["contact_id"]!.GetValue<string>()))!;
        Assert.Equal("explicit", stored.PermissionToSend);
        Assert.Equal("Contact", stored.CreateSource);
        Assert.Equal([Guid.Parse(list)], stored.ListMemberships);
    }

    [Fact]
    public async Task SignUpForm_ExistingEmail_Returns200Updated_MergesListsAndCustomFields_PartialUpdate()
    {
        await using var api = await TestApi.StartAsync();
        var a = await api.CreateListAsync("A");
        var b = await api.CreateListAsync("B");
        var color = await api.CreateFieldAsync("Color");
        var size = await api.CreateFieldAsync("Size");
        var id = await api.CreateContactAsync("m@example.com", "Mo", new JsonObject
        {
            ["job_title"] = "Pilot",
            ["list_memberships"] = Bodies.Array(a),
            ["custom_fields"] = new JsonArray(
                new JsonObject { ["custom_field_id"] = color, ["value"] = "red" },
                new JsonObject { ["custom_field_id"] = size, ["value"] = "M" }),
        });

        var reply = await api.PostAsync("/v3/contacts/sign_up_form", new JsonObject
        {
            ["email_address"] = "M@EXAMPLE.COM",
            ["last_name"] = "Ng",
            ["list_memberships"] = Bodies.Array(b),
            ["custom_fields"] = new JsonArray(new JsonObject { ["custom_field_id"] = color, ["value"] = "blue" }),
        });

        Assert.Equal(200, reply.Code);
        Assert.Equal("updated", reply.Object["action"]!.GetValue<string>());
        Assert.Equal(id, reply.Object["contact_id"]!.GetValue<string>());
        var stored = api.Sandbox.Store.Contact(Guid.Parse(id))!;
        Assert.Equal(("Mo", "Ng", "Pilot"), (stored.FirstName, stored.LastName, stored.JobTitle));
        Assert.Equal([Guid.Parse(a), Guid.Parse(b)], stored.ListMemberships);
        Assert.Equal("blue", stored.CustomFields[Guid.Parse(color)]);
        Assert.Equal("M", stored.CustomFields[Guid.Parse(size)]);
        Assert.Equal("explicit", stored.PermissionToSend);
    }

    [Fact]
    public async Task SignUpForm_DeletedContact_IsRevived()
    {
        await using var api = await TestApi.StartAsync();
        var list = await api.CreateListAsync("L");
        var id = await api.CreateContactAsync("r@example.com");
        await api.DeleteAsync($"/v3/contacts/{id}");

        var reply = await api.PostAsync("/v3/contacts/sign_up_form", new JsonObject
        {
            ["email_address"] = "r@example.com",
            ["list_memberships"] = Bodies.Array(list),
        });

        Assert.Equal(200, reply.Code);
        Assert.False(api.Sandbox.Store.Contact(Guid.Parse(id))!.IsDeleted);
    }

    [Fact]
    public async Task SignUpForm_WithoutListMemberships_Returns400()
    {
        await using var api = await TestApi.StartAsync();

        var missing = await api.PostAsync("/v3/contacts/sign_up_form", new JsonObject { ["email_address"] = "x@example.com" });
        var unknown = await api.PostAsync("/v3/contacts/sign_up_form", new JsonObject
        {
            ["email_address"] = "x@example.com",
            ["list_memberships"] = Bodies.Array(Guid.NewGuid().ToString()),
        });

        Assert.Equal(400, missing.Code);
        Assert.Contains("list_memberships is required.", missing.ErrorMessages);
        Assert.Equal(400, unknown.Code);
        Assert.Empty(api.Sandbox.Store.Contacts());
    }

    [Fact]
    public async Task SignUpForm_EmailLongerThan50_Returns400()
    {
        await using var api = await TestApi.StartAsync();
        var list = await api.CreateListAsync("L");

        var reply = await api.PostAsync("/v3/contacts/sign_up_form", new JsonObject
        {
            ["email_address"] = new string('a', 45) + "@example.com",
            ["list_memberships"] = Bodies.Array(list),
        });

        Assert.Equal(400, reply.Code);
        Assert.StartsWith("email_address", reply.ErrorMessages[0], StringComparison.Ordinal);
    }
}
