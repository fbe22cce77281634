using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class ContactCrudTests
{
    [Fact]
    public async Task PostContact_Returns201ContactResource()
    {
        await using var api = await TestApi.StartAsync();

        var reply = await api.PostAsync("/v3/contacts", Bodies.Contact("Dana@Example.com", "Dana"));

        Assert.Equal(201, reply.Code);
        var c = reply.Object;
        Assert.True(Guid.TryParseExact(c["contact_id"]!.GetValue<string>(), "D", out _));
        Assert.Equal("Dana", c["first_name"]!.GetValue<string>());
        Assert.Equal("Account", c["create_source"]!.GetValue<string>());
        var email = c["email_address"]!.AsObject();
        Assert.Equal("Dana@Example.com", email["address"]!.GetValue<string>());
        Assert.Equal("implicit", email["permission_to_send"]!.GetValue<string>());
        Assert.Equal("Account", email["opt_in_source"]!.GetValue<string>());
        Assert.Equal("off", email["confirm_status"]!.GetValue<string>());
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"), c["created_at"]!.GetValue<string>());
        Assert.Null(c["list_memberships"]);
        Assert.Null(c["deleted_at"]);
    }

    [Fact]
    public async Task GetContact_ReturnsContact_AndSubresourcesOnlyWhenIncluded()
    {
        await using var api = await TestApi.StartAsync();
        var list = await api.CreateListAsync("Newsletter");
        var id = await api.CreateContactAsync("a@example.com", extra: new JsonObject
        {
            ["list_memberships"] = Bodies.Array(list),
            ["phone_numbers"] = new JsonArray(new JsonObject { ["phone_number"] = "555-1234", ["kind"] = "home" }),
        });

        var plain = await api.GetAsync($"/v3/contacts/{id}");
        var full = await api.GetAsync($"/v3/contacts/{id}?include=list_memberships,phone_numbers");

        Assert.Equal(200, plain.Code);
        Assert.Null(plain.Object["list_memberships"]);
        Assert.Null(plain.Object["phone_numbers"]);
        Assert.Equal(list, full.Object["list_memberships"]![0]!.GetValue<string>());
        Assert.Equal("555-1234", full.Object["phone_numbers"]![0]!["phone_number"]!.GetValue<string>());
        Assert.Null(full.Object["custom_fields"]);
    }

    [Fact]
    public async Task GetContact_UnknownOrMalformedId_Returns404ArrayBody()
    {
        await using var api = await TestApi.StartAsync();

        var unknown = await api.GetAsync($"/v3/contacts/{Guid.NewGuid()}");
        var malformed = await api.GetAsync("/v3/contacts/not-a-uuid");

        Assert.Equal(404, unknown.Code);
        Assert.Equal("contacts.api.not_found", unknown.ErrorKey);
        Assert.Equal(404, malformed.Code);
        Assert.Equal("contact_id is in an invalid format.", Assert.Single(malformed.ErrorMessages));
    }

    [Fact]
    public async Task PostContact_DuplicateEmail_Returns409WithExistingId()
    {
        await using var api = await TestApi.StartAsync();
        var id = await api.CreateContactAsync("dup@example.com");

        var reply = await api.PostAsync("/v3/contacts", Bodies.Contact("DUP@example.com"));

        Assert.Equal(409, reply.Code);
        Assert.Equal("contacts.api.conflict", reply.ErrorKey);
        Assert.Equal($"Validation failed: Email already exists for contact {id}", Assert.Single(reply.ErrorMessages));
    }

    [Fact]
    public async Task PostContact_DuplicateEmailOfDeletedContact_Returns409()
    {
        await using var api = await TestApi.StartAsync();
        var id = await api.CreateContactAsync("gone@example.com");
        Assert.Equal(204, (await api.DeleteAsync($"/v3/contacts/{id}")).Code);

        var reply = await api.PostAsync("/v3/contacts", Bodies.Contact("gone@example.com"));

        Assert.Equal(409, reply.Code);
        Assert.Contains(id, Assert.Single(reply.ErrorMessages));
    }

    [Fact]
    public async Task PostContact_NonJsonContentType_Returns415ArrayBody()
    {
        await using var api = await TestApi.StartAsync();

        var reply = await api.PostRawAsync("/v3/contacts", Bodies.Contact("x@example.com").ToJsonString(), "text/plain");

        Assert.Equal(415, reply.Code);
        Assert.Single(reply.ErrorMessages);
        Assert.Empty(api.Sandbox.Store.Contacts());
    }

    [Fact]
    public async Task PostContact_MalformedJson_Returns400()
    {
        await using var api = await TestApi.StartAsync();

        var reply = await api.PostRawAsync("/v3/contacts", """{"first_name": "x", """);

        Assert.Equal(400, reply.Code);
        Assert.Single(reply.ErrorMessages);
    }

    [Fact]
    public async Task PutContact_NullsOmittedCoreFields_KeepsOmittedSubresources_ReplacesIncludedArrays()
    {
        await using var api = await TestApi.StartAsync();
        var a = await api.CreateListAsync("A");
        var b = await api.CreateListAsync("B");
        var id = await api.CreateContactAsync("p@example.com", "Pat", new JsonObject
        {
            ["job_title"] = "Chef",
            ["list_memberships"] = Bodies.Array(a),
            ["phone_numbers"] = new JsonArray(new JsonObject { ["phone_number"] = "555", ["kind"] = "work" }),
        });

        var reply = await api.PutAsync($"/v3/contacts/{id}", new JsonObject
        {
            ["update_source"] = "Account",
            ["email_address"] = new JsonObject { ["address"] = "p@example.com" },
            ["first_name"] = "Patricia",
            ["list_memberships"] = Bodies.Array(b),
        });

        Assert.Equal(200, reply.Code);
        Assert.Equal("Account", reply.Object["update_source"]!.GetValue<string>());
        var stored = api.Sandbox.Store.Contact(Guid.Parse(id))!;
        Assert.Equal("Patricia", stored.FirstName);
        Assert.Null(stored.LastName);
        Assert.Null(stored.JobTitle);
        Assert.Equal([Guid.Parse(b)], stored.ListMemberships);
        Assert.Equal(("work", "555"), Assert.Single(stored.PhoneNumbers));
        Assert.Equal("implicit", stored.PermissionToSend);
    }

    [Fact]
    public async Task PutContact_WithoutUpdateSource_Returns400()
    {
        await using var api = await TestApi.StartAsync();
        var id = await api.CreateContactAsync("p@example.com");

        var reply = await api.PutAsync($"/v3/contacts/{id}", new JsonObject { ["first_name"] = "X" });

        Assert.Equal(400, reply.Code);
        Assert.Contains("update_source is required.", reply.ErrorMessages);
    }

    [Fact]
    public async Task PutContact_EmailOfAnotherContact_Returns409()
    {
        await using var api = await TestApi.StartAsync();
        var first = await api.CreateContactAsync("one@example.com");
        var second = await api.CreateContactAsync("two@example.com");

        var reply = await api.PutAsync($"/v3/contacts/{second}", new JsonObject
        {
            ["update_source"] = "Account",
            ["email_address"] = new JsonObject { ["address"] = "ONE@example.com" },
        });

        Assert.Equal(409, reply.Code);
        Assert.Contains(first, reply.ErrorMessages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutContact_UnknownId_Returns404()
    {
        await using var api = await TestApi.StartAsync();

        var reply = await api.PutAsync($"/v3/contacts/{Guid.NewGuid()}", new JsonObject { ["update_source"] = "Account", ["first_name"] = "A" });

        Assert.Equal(404, reply.Code);
    }

    [Fact]
    public async Task DeleteContact_SoftDeletes_ClearsLists_AndPutRevives()
    {
        await using var api = await TestApi.StartAsync();
        var list = await api.CreateListAsync("L");
        var id = await api.CreateContactAsync("d@example.com", extra: new JsonObject { ["list_memberships"] = Bodies.Array(list) });

        Assert.Equal(204, (await api.DeleteAsync($"/v3/contacts/{id}")).Code);
        var deleted = await api.GetAsync($"/v3/contacts/{id}?include=list_memberships");
        var stored = api.Sandbox.Store.Contact(Guid.Parse(id))!;

        Assert.Equal(200, deleted.Code);
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\d$"), deleted.Object["deleted_at"]!.GetValue<string>());
        Assert.Empty(deleted.Object["list_memberships"]!.AsArray());
        Assert.True(stored.IsDeleted);
        Assert.Equal("deleted", stored.Status);
        Assert.Empty(api.Sandbox.Store.Contacts());

        var revived = await api.PutAsync($"/v3/contacts/{id}", new JsonObject
        {
            ["update_source"] = "Account",
            ["email_address"] = new JsonObject { ["address"] = "d@example.com" },
            ["first_name"] = "Back",
        });

        Assert.Equal(200, revived.Code);
        Assert.Null(revived.Object["deleted_at"]);
        Assert.False(api.Sandbox.Store.Contact(Guid.Parse(id))!.IsDeleted);
    }

    [Fact]
    public async Task DeleteContact_UnknownId_Returns404()
    {
        await using var api = await TestApi.StartAsync();

        Assert.Equal(404, (await api.DeleteAsync($"/v3/contacts/{Guid.NewGuid()}")).Code);
    }
}
