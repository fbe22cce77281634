using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EtlRunner.Sandbox.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task DataFile_SurvivesRestart_IncludingDeletedContactsAndPendingActivities()
    {
        var file = _folder.File("cc.db");
        var clock = new FakeTimeProvider(TestApi.Epoch);
        var options = new SandboxOptions { RateLimit = false, DataFile = file, ActivityDuration = TimeSpan.FromSeconds(5) };
        string listId, keptId, goneId, fieldId;
        await using (var api = await TestApi.StartAsync(options, clock))
        {
            listId = await api.CreateListAsync("Kept");
            fieldId = await api.CreateFieldAsync("Tier");
            keptId = await api.CreateContactAsync("kept@example.com", "Kim", new JsonObject
            {
                ["list_memberships"] = Bodies.Array(listId),
                ["custom_fields"] = new JsonArray(new JsonObject { ["custom_field_id"] = fieldId, ["value"] = "gold" }),
            });
            goneId = await api.CreateContactAsync("gone@example.com");
            await api.DeleteAsync($"/v3/contacts/{goneId}");
            await api.PostAsync("/v3/activities/contacts_json_import", new JsonObject
            {
                ["import_data"] = new JsonArray(new JsonObject { ["email"] = "late@example.com" }),
                ["list_ids"] = Bodies.Array(listId),
            });
        }

        await using (var api = await TestApi.StartAsync(options, clock))
        {
            var kept = api.Sandbox.Store.Contact(Guid.Parse(keptId))!;
            Assert.Equal("Kim", kept.FirstName);
            Assert.Equal([Guid.Parse(listId)], kept.ListMemberships);
            Assert.Equal("gold", kept.CustomFields[Guid.Parse(fieldId)]);
            Assert.True(api.Sandbox.Store.Contact(Guid.Parse(goneId))!.IsDeleted);
            Assert.Equal(409, (await api.PostAsync("/v3/contacts", Bodies.Contact("GONE@example.com"))).Code);
            Assert.Equal("Tier", Assert.Single(api.Sandbox.Store.CustomFields()).Label);
            Assert.Null(api.Sandbox.Store.ContactByEmail("late@example.com"));

            clock.Advance(TimeSpan.FromSeconds(5));
            await api.CreateContactAsync("new@example.com");

            Assert.Equal(["kept@example.com", "late@example.com", "new@example.com"],
                api.Sandbox.Store.Contacts().Select(c => c.Email));
        }

        await using (var api = await TestApi.StartAsync(options, clock))
        {
            Assert.Equal(3, api.Sandbox.Store.Contacts().Count);
            Assert.Equal("completed", Assert.Single(api.Sandbox.Store.Activities()).State);
        }
    }

    [Fact]
    public async Task SeedFile_LoadsListsFieldsAndContacts_ByName()
    {
        var seed = WriteSeed("""
            {
              "lists": [{"name": "Customers"}, {"name": "Prospects", "favorite": true}],
              "custom_fields": [{"label": "Shoe Size", "type": "string"}],
              "contacts": [
                {"email_address": {"address": "s1@example.com"}, "first_name": "Sam",
                 "list_memberships": ["Customers"], "custom_fields": [{"name": "Shoe_Size", "value": "44"}],
                 "created_at": "2024-01-02T03:04:05Z"},
                {"email_address": {"address": "s2@example.com", "permission_to_send": "unsubscribed"}, "last_name": "Two"}
              ]
            }
            """);

        await using var api = await TestApi.StartAsync(new SandboxOptions { RateLimit = false, SeedFile = seed });

        var lists = api.Sandbox.Store.Lists();
        var sam = api.Sandbox.Store.ContactByEmail("s1@example.com")!;
        Assert.Equal(["Customers", "Prospects"], lists.Select(l => l.Name));
        Assert.Equal([lists[0].Id], sam.ListMemberships);
        Assert.Equal("44", Assert.Single(sam.CustomFields).Value);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), sam.CreatedAt);
        Assert.Equal("unsubscribed", api.Sandbox.Store.ContactByEmail("s2@example.com")!.Status);
    }

    [Fact]
    public async Task SeedFile_IsIgnoredWhenTheDataFileAlreadyHasData()
    {
        var seed = WriteSeed("""{"contacts": [{"email_address": {"address": "seed@example.com"}}]}""");
        var options = new SandboxOptions { RateLimit = false, SeedFile = seed, DataFile = _folder.File("seeded.db") };
        await using (var api = await TestApi.StartAsync(options))
        {
            await api.DeleteAsync($"/v3/contacts/{api.Sandbox.Store.ContactByEmail("seed@example.com")!.Id}");
        }

        await using (var api = await TestApi.StartAsync(options))
        {
            Assert.Empty(api.Sandbox.Store.Contacts());
            Assert.Single(api.Sandbox.Store.Contacts(includeDeleted: true));
        }
    }

    [Fact]
    public async Task SeedFile_WithBadContact_ThrowsInvalidData()
    {
        var seed = WriteSeed("""{"contacts": [{"email_address": {"address": "nope"}}]}""");

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() =>
            ConstantContactSandbox.StartAsync(new SandboxOptions { SeedFile = seed }));

        Assert.Contains("contacts[0]", ex.Message, StringComparison.Ordinal);
    }

    private string WriteSeed(string json) => _folder.Write(Guid.NewGuid().ToString("N") + ".json", json);
}
