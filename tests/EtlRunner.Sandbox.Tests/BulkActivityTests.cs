using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class BulkActivityTests
{
    private static JsonObject Import(string list, params JsonObject[] rows) => new()
    {
        ["import_data"] = Bodies.Array(rows),
        ["list_ids"] = Bodies.Array(list),
    };

    [Fact]
    public async Task JsonImport_ProgressesInitializedProcessingCompleted_AndAppliesAtCompletion()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(3));
        var list = await api.CreateListAsync("Imported");

        var reply = await api.PostAsync("/v3/activities/contacts_json_import", Import(list,
            new JsonObject { ["email"] = "a@example.com", ["first_name"] = "A" },
            new JsonObject { ["email"] = "b@example.com", ["last_name"] = "B" }));

        Assert.Equal(201, reply.Code);
        var id = reply.Object["activity_id"]!.GetValue<string>();
        Assert.Equal("initialized", reply.Object["state"]!.GetValue<string>());
        Assert.Equal(0, reply.Object["percent_done"]!.GetValue<int>());
        Assert.Equal($"/v3/activities/{id}", reply.Object["_links"]!["self"]!["href"]!.GetValue<string>());
        Assert.Equal(2, reply.Object["status"]!["items_total_count"]!.GetValue<int>());
        Assert.Empty(api.Sandbox.Store.Contacts());

        api.Clock!.Advance(TimeSpan.FromSeconds(1.5));
        var processing = (await api.GetAsync($"/v3/activities/{id}")).Object;
        Assert.Equal("processing", processing["state"]!.GetValue<string>());
        Assert.InRange(processing["percent_done"]!.GetValue<int>(), 1, 99);
        Assert.Empty(api.Sandbox.Store.Contacts());

        api.Clock.Advance(TimeSpan.FromSeconds(1.5));
        var completed = (await api.GetAsync($"/v3/activities/{id}")).Object;
        Assert.Equal("completed", completed["state"]!.GetValue<string>());
        Assert.Equal(100, completed["percent_done"]!.GetValue<int>());
        Assert.NotNull(completed["completed_at"]);
        Assert.Equal(2, completed["status"]!["person_count"]!.GetValue<int>());
        var a = api.Sandbox.Store.ContactByEmail("a@example.com")!;
        Assert.Equal(("A", "implicit", "Account"), (a.FirstName, a.PermissionToSend, a.CreateSource));
        Assert.Equal([Guid.Parse(list)], a.ListMemberships);
        var email = (await api.GetAsync($"/v3/contacts/{a.Id}")).Object["email_address"]!;
        Assert.Equal("Account", email["opt_in_source"]!.GetValue<string>());
    }

    [Fact]
    public async Task JsonImport_UpdatesOnlySuppliedProperties_MapsFlatKeys_AndRevivesDeleted()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(1));
        var list = await api.CreateListAsync("L");
        var field = await api.CreateFieldAsync("Favorite Color");
        var id = await api.CreateContactAsync("old@example.com", "Olga", new JsonObject { ["job_title"] = "Chef" });
        await api.DeleteAsync($"/v3/contacts/{id}");

        await api.PostAsync("/v3/activities/contacts_json_import", Import(list, new JsonObject
        {
            ["email"] = "OLD@example.com",
            ["last_name"] = "Novak",
            ["work_phone"] = "555-0100",
            ["mobile_phone"] = "555-0101",
            ["street"] = "1 Main St",
            ["street2"] = "Apt 2",
            ["city"] = "Chicago",
            ["zip"] = 60609,
            ["work_city"] = "Boston",
            ["birthday_month"] = 11,
            ["birthday_day"] = "24",
            ["anniversary"] = "2006/11/15",
            ["cf:Favorite_Color"] = "green",
        }));
        api.Clock!.Advance(TimeSpan.FromSeconds(1));

        var c = api.Sandbox.Store.Contact(Guid.Parse(id))!;
        Assert.False(c.IsDeleted);
        Assert.Equal(("Olga", "Novak", "Chef"), (c.FirstName, c.LastName, c.JobTitle));
        Assert.Equal((11, 24, "2006-11-15"), (c.BirthdayMonth!.Value, c.BirthdayDay!.Value, c.Anniversary));
        Assert.Equal([("work", "555-0100"), ("mobile", "555-0101")], c.PhoneNumbers);
        Assert.Contains(new AddressSnapshot("home", "1 Main St Apt 2", "Chicago", null, "60609", null), c.StreetAddresses);
        Assert.Contains(new AddressSnapshot("work", null, "Boston", null, null, null), c.StreetAddresses);
        Assert.Equal("green", c.CustomFields[Guid.Parse(field)]);
        Assert.Equal([Guid.Parse(list)], c.ListMemberships);
        Assert.Equal("Account", c.UpdateSource);
    }

    [Fact]
    public async Task JsonImport_ReportsPerContactErrors_AndImportsTheRest()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(1));
        var list = await api.CreateListAsync("L");

        var reply = await api.PostAsync("/v3/activities/contacts_json_import", Import(list,
            new JsonObject { ["email"] = "good@example.com" },
            new JsonObject { ["email"] = "bad-email" },
            new JsonObject { ["email"] = "long@example.com", ["first_name"] = new string('x', 51) },
            new JsonObject { ["first_name"] = "NoEmail" },
            new JsonObject { ["email"] = "cf@example.com", ["cf:nope"] = "x" },
            new JsonObject { ["email"] = "bday@example.com", ["birthday_month"] = 2, ["birthday_day"] = 31 }));
        api.Clock!.Advance(TimeSpan.FromSeconds(1));
        var done = (await api.GetAsync($"/v3/activities/{reply.Object["activity_id"]}")).Object;

        var errors = done["activity_errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(errors, e => e.StartsWith("Row 2 (bad-email)", StringComparison.Ordinal) && e.Contains("invalid email", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Row 3 (long@example.com)", StringComparison.Ordinal) && e.Contains("first_name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Row 4", StringComparison.Ordinal) && e.Contains("no email", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Row 5 (cf@example.com)", StringComparison.Ordinal) && e.Contains("'nope'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Row 6 (bday@example.com)", StringComparison.Ordinal));
        var status = done["status"]!;
        Assert.Equal(6, status["items_total_count"]!.GetValue<int>());
        Assert.Equal(6, status["person_count"]!.GetValue<int>());
        Assert.Equal(2, status["error_count"]!.GetValue<int>());
        Assert.Equal(3, status["correctable_count"]!.GetValue<int>());
        Assert.Equal(["good@example.com"], api.Sandbox.Store.Contacts().Select(c => c.Email));
    }

    [Fact]
    public async Task JsonImport_UnsubscribedContact_IsNotAddedToLists()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(1));
        var list = await api.CreateListAsync("L");
        var body = Bodies.Contact("u@example.com");
        body["email_address"]!["permission_to_send"] = "unsubscribed";
        await api.PostAsync("/v3/contacts", body);

        var reply = await api.PostAsync("/v3/activities/contacts_json_import", Import(list, new JsonObject { ["email"] = "u@example.com" }));
        api.Clock!.Advance(TimeSpan.FromSeconds(1));
        var done = (await api.GetAsync($"/v3/activities/{reply.Object["activity_id"]}")).Object;

        Assert.Equal(1, done["status"]!["cannot_add_to_list_count"]!.GetValue<int>());
        Assert.Empty(api.Sandbox.Store.ContactByEmail("u@example.com")!.ListMemberships);
    }

    [Fact]
    public async Task JsonImport_InvalidRequests_Return400()
    {
        await using var api = await TestApi.StartAsync();
        var list = await api.CreateListAsync("L");
        var tooMany = new JsonObject
        {
            ["import_data"] = new JsonArray([.. Enumerable.Range(0, 40_001).Select(i => (JsonNode)new JsonObject { ["email"] = $"{i}@x.io" })]),
            ["list_ids"] = Bodies.Array(list),
        };
        var tooBig = Import(list, [.. Enumerable.Range(0, 10_000).Select(i => new JsonObject
        {
            ["email"] = $"user{i}@example.com",
            ["first_name"] = new string('f', 200),
            ["last_name"] = new string('l', 200),
        })]);

        Assert.Equal(400, (await api.PostAsync("/v3/activities/contacts_json_import", new JsonObject { ["import_data"] = new JsonArray() })).Code);
        Assert.Contains("list_ids is required.", (await api.PostAsync("/v3/activities/contacts_json_import",
            new JsonObject { ["import_data"] = new JsonArray(new JsonObject { ["email"] = "a@b.co" }) })).ErrorMessages);
        Assert.Equal(400, (await api.PostAsync("/v3/activities/contacts_json_import", Import(Guid.NewGuid().ToString(), new JsonObject { ["email"] = "a@b.co" }))).Code);
        Assert.Contains("import_data can contain at most 40000 items.", (await api.PostAsync("/v3/activities/contacts_json_import", tooMany)).ErrorMessages);
        var big = await api.PostAsync("/v3/activities/contacts_json_import", tooBig);
        Assert.True(big.Code == 400, big.ToString()[..Math.Min(300, big.Body.Length)]);
        Assert.Contains("4 MB", big.ErrorMessages[0], StringComparison.Ordinal);
        Assert.Empty(api.Sandbox.Store.Activities());
    }

    [Fact]
    public async Task ContactDelete_ByIds_DeletesAndReportsUnknownIds()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(1));
        var a = await api.CreateContactAsync("a@example.com");
        var b = await api.CreateContactAsync("b@example.com");
        var missing = Guid.NewGuid().ToString();

        var reply = await api.PostAsync("/v3/activities/contact_delete", new JsonObject { ["contact_ids"] = Bodies.Array(a, missing) });

        Assert.Equal(201, reply.Code);
        Assert.Equal(2, reply.Object["status"]!["items_total_count"]!.GetValue<int>());
        Assert.Equal(2, api.Sandbox.Store.Contacts().Count);
        api.Clock!.Advance(TimeSpan.FromSeconds(1));
        var done = (await api.GetAsync($"/v3/activities/{reply.Object["activity_id"]}")).Object;
        Assert.Equal("completed", done["state"]!.GetValue<string>());
        Assert.Contains(missing, Assert.Single(done["activity_errors"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([Guid.Parse(b)], api.Sandbox.Store.Contacts().Select(c => c.Id));
    }

    [Fact]
    public async Task ContactDelete_ByLists_DeletesMembers()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(1));
        var list = await api.CreateListAsync("Purge");
        await api.CreateContactAsync("in@example.com", extra: new JsonObject { ["list_memberships"] = Bodies.Array(list) });
        await api.CreateContactAsync("out@example.com");

        var reply = await api.PostAsync("/v3/activities/contact_delete", new JsonObject { ["list_ids"] = Bodies.Array(list) });
        api.Clock!.Advance(TimeSpan.FromSeconds(1));
        var done = (await api.GetAsync($"/v3/activities/{reply.Object["activity_id"]}")).Object;

        Assert.Equal(1, done["status"]!["list_count"]!.GetValue<int>());
        Assert.Equal(["out@example.com"], api.Sandbox.Store.Contacts().Select(c => c.Email));
    }

    [Fact]
    public async Task ContactDelete_InvalidRequests_Return400()
    {
        await using var api = await TestApi.StartAsync();
        var ids = Bodies.Array([.. Enumerable.Range(0, 501).Select(_ => Guid.NewGuid().ToString())]);

        Assert.Equal(400, (await api.PostAsync("/v3/activities/contact_delete", new JsonObject())).Code);
        Assert.Equal(400, (await api.PostAsync("/v3/activities/contact_delete", new JsonObject
        {
            ["contact_ids"] = Bodies.Array(Guid.NewGuid().ToString()),
            ["list_ids"] = Bodies.Array(Guid.NewGuid().ToString()),
        })).Code);
        Assert.Equal(400, (await api.PostAsync("/v3/activities/contact_delete", new JsonObject { ["contact_ids"] = ids })).Code);
    }

    [Fact]
    public async Task GetActivities_ListsNewestFirst_FiltersByState_AndPages()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(10));
        var first = await api.PostAsync("/v3/activities/contact_delete", new JsonObject { ["contact_ids"] = Bodies.Array(Guid.NewGuid().ToString()) });
        api.Clock!.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 3; i++)
        {
            await api.PostAsync("/v3/activities/contact_delete", new JsonObject { ["contact_ids"] = Bodies.Array(Guid.NewGuid().ToString()) });
        }

        var completed = await api.GetAsync("/v3/activities?state=completed");
        var page = await api.GetAsync("/v3/activities?limit=2");
        var rest = await api.GetAsync(page.Object["_links"]!["next"]!["href"]!.GetValue<string>());

        Assert.Equal(first.Object["activity_id"]!.GetValue<string>(), Assert.Single(completed.Object["activities"]!.AsArray())!["activity_id"]!.GetValue<string>());
        Assert.Equal(2, page.Object["activities"]!.AsArray().Count);
        Assert.Equal(2, rest.Object["activities"]!.AsArray().Count);
        Assert.Equal(first.Object["activity_id"]!.GetValue<string>(), rest.Object["activities"]![1]!["activity_id"]!.GetValue<string>());
        Assert.Equal(400, (await api.GetAsync("/v3/activities?state=initialized")).Code);
        Assert.Equal(404, (await api.GetAsync($"/v3/activities/{Guid.NewGuid()}")).Code);
    }

    [Fact]
    public async Task MoreThan1000QueuedActivities_Returns429()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromHours(1));
        var body = new JsonObject { ["contact_ids"] = Bodies.Array(Guid.NewGuid().ToString()) };
        foreach (var chunk in Enumerable.Range(0, 1000).Chunk(25))
        {
            var replies = await Task.WhenAll(chunk.Select(_ => api.PostAsync("/v3/activities/contact_delete", body)));
            Assert.All(replies, r => Assert.Equal(201, r.Code));
        }

        var reply = await api.PostAsync("/v3/activities/contact_delete", body);

        Assert.Equal(429, reply.Code);
        Assert.Contains("1,000 queued activities", reply.ErrorMessages[0], StringComparison.Ordinal);
        api.Clock!.Advance(TimeSpan.FromHours(1));
        Assert.Equal(201, (await api.PostAsync("/v3/activities/contact_delete", body)).Code);
    }
}
