using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class ContactQueryTests
{
    private static async Task<List<string>> EmailsAsync(TestApi api, string query)
    {
        var reply = await api.GetAsync("/v3/contacts" + query);
        Assert.True(reply.Code == 200, reply.ToString());
        return [.. reply.Object["contacts"]!.AsArray().Select(c => c!["email_address"]!["address"]!.GetValue<string>())];
    }

    [Fact]
    public async Task GetContacts_PagesWithRelativeCursor_NoSkipsNoDuplicates_EvenWithInsertsBetweenPages()
    {
        await using var api = await TestApi.StartAsync();
        for (var i = 0; i < 23; i++)
        {
            await api.CreateContactAsync($"p{i:D2}@example.com");
        }

        var seen = new List<string>();
        var href = "/v3/contacts?limit=5";
        var pages = 0;
        while (href is not null)
        {
            var reply = await api.GetAsync(href);
            Assert.Equal(200, reply.Code);
            seen.AddRange(reply.Object["contacts"]!.AsArray().Select(c => c!["email_address"]!["address"]!.GetValue<string>()));
            href = reply.Object["_links"]?["next"]?["href"]?.GetValue<string>();
            if (href is not null)
            {
                Assert.StartsWith("/v3/contacts?cursor=", href, StringComparison.Ordinal);
                Assert.DoesNotContain("limit", href, StringComparison.Ordinal);
            }

            if (++pages == 2)
            {
                await api.CreateContactAsync("late@example.com");
            }
        }

        Assert.Equal(5, pages);
        Assert.Equal(24, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal("late@example.com", seen[^1]);
    }

    [Fact]
    public async Task GetContacts_CursorCarriesFiltersAndLimit_LastPageHasNoLinks()
    {
        await using var api = await TestApi.StartAsync();
        var list = await api.CreateListAsync("L");
        for (var i = 0; i < 6; i++)
        {
            await api.CreateContactAsync($"in{i}@example.com", extra: new JsonObject { ["list_memberships"] = Bodies.Array(list) });
            await api.CreateContactAsync($"out{i}@example.com");
        }

        var first = await api.GetAsync($"/v3/contacts?lists={list}&limit=4&include=list_memberships&include_count=true");
        var next = first.Object["_links"]!["next"]!["href"]!.GetValue<string>();
        var second = await api.GetAsync(next);

        Assert.Equal(4, first.Object["contacts"]!.AsArray().Count);
        Assert.Equal(6, first.Object["contacts_count"]!.GetValue<int>());
        Assert.Equal(2, second.Object["contacts"]!.AsArray().Count);
        Assert.Equal(6, second.Object["contacts_count"]!.GetValue<int>());
        Assert.All(second.Object["contacts"]!.AsArray(), c => Assert.Equal(list, c!["list_memberships"]![0]!.GetValue<string>()));
        Assert.Null(second.Object["_links"]);
    }

    [Fact]
    public async Task GetContacts_BadCursor_Returns400()
    {
        await using var api = await TestApi.StartAsync();

        var reply = await api.GetAsync("/v3/contacts?cursor=%%%");

        Assert.Equal(400, reply.Code);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=501", "limit")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?status=gone", "status")]
    [InlineData("?include=everything", "include")]
    [InlineData("?include_count=maybe", "include_count")]
    [InlineData("?updated_after=yesterday", "updated_after")]
    [InlineData("?created_before=2020-13-45", "created_before")]
    [InlineData("?lists=abc", "lists")]
    [InlineData("?sms_status=loud", "sms_status")]
    public async Task GetContacts_InvalidParameter_Returns400ValidationArray(string query, string parameter)
    {
        await using var api = await TestApi.StartAsync();

        var reply = await api.GetAsync("/v3/contacts" + query);

        Assert.Equal(400, reply.Code);
        Assert.Equal("contacts.api.validation.error", reply.ErrorKey);
        Assert.StartsWith(parameter, reply.ErrorMessages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetContacts_TooManyListsOrTags_Returns400()
    {
        await using var api = await TestApi.StartAsync();
        var lists = string.Join(',', Enumerable.Range(0, 26).Select(_ => Guid.NewGuid()));
        var tags = string.Join(',', Enumerable.Range(0, 51).Select(_ => Guid.NewGuid()));

        Assert.Equal(400, (await api.GetAsync($"/v3/contacts?lists={lists}")).Code);
        Assert.Equal(400, (await api.GetAsync($"/v3/contacts?tags={tags}")).Code);
    }

    [Fact]
    public async Task GetContacts_StatusFilter_DefaultExcludesDeleted()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateContactAsync("active@example.com");
        var gone = await api.CreateContactAsync("gone@example.com");
        var unsub = Bodies.Contact("unsub@example.com");
        unsub["email_address"]!["permission_to_send"] = "unsubscribed";
        Assert.Equal(201, (await api.PostAsync("/v3/contacts", unsub)).Code);
        await api.DeleteAsync($"/v3/contacts/{gone}");

        Assert.Equal(["active@example.com", "unsub@example.com"], await EmailsAsync(api, ""));
        Assert.Equal(["active@example.com", "gone@example.com", "unsub@example.com"], await EmailsAsync(api, "?status=all"));
        Assert.Equal(["gone@example.com"], await EmailsAsync(api, "?status=deleted"));
        Assert.Equal(["active@example.com"], await EmailsAsync(api, "?status=active"));
        Assert.Equal(["gone@example.com", "unsub@example.com"], await EmailsAsync(api, "?status=unsubscribed,deleted"));
    }

    [Fact]
    public async Task GetContacts_EmailFilter_IsExactCaseInsensitive_AndHidesDeletedByDefault()
    {
        await using var api = await TestApi.StartAsync();
        await api.CreateContactAsync("Mixed@Example.com");
        var gone = await api.CreateContactAsync("gone@example.com");
        await api.DeleteAsync($"/v3/contacts/{gone}");

        Assert.Equal(["Mixed@Example.com"], await EmailsAsync(api, "?email=mixed@example.com"));
        Assert.Empty(await EmailsAsync(api, "?email=mixed@example"));
        Assert.Empty(await EmailsAsync(api, "?email=gone@example.com"));
        Assert.Equal(["gone@example.com"], await EmailsAsync(api, "?email=gone@example.com&status=all"));
    }

    [Fact]
    public async Task GetContacts_ListsAndTagsFilters_MatchAnyGivenId()
    {
        await using var api = await TestApi.StartAsync();
        var a = await api.CreateListAsync("A");
        var b = await api.CreateListAsync("B");
        var tag = Guid.NewGuid().ToString();
        await api.CreateContactAsync("a@example.com", extra: new JsonObject { ["list_memberships"] = Bodies.Array(a) });
        await api.CreateContactAsync("b@example.com", extra: new JsonObject { ["list_memberships"] = Bodies.Array(b), ["taggings"] = Bodies.Array(tag) });
        await api.CreateContactAsync("none@example.com");

        Assert.Equal(["a@example.com"], await EmailsAsync(api, $"?lists={a}"));
        Assert.Equal(["a@example.com", "b@example.com"], await EmailsAsync(api, $"?lists={a},{b}"));
        Assert.Equal(["b@example.com"], await EmailsAsync(api, $"?tags={tag}"));
    }

    [Fact]
    public async Task GetContacts_DateFilters_UseCreatedAndUpdatedTimes()
    {
        await using var api = await TestApi.StartFakeAsync();
        await api.CreateContactAsync("old@example.com");
        api.Clock!.Advance(TimeSpan.FromHours(1));
        var mid = TestApi.Epoch.AddMinutes(30).ToString("O");
        await api.CreateContactAsync("new@example.com");
        api.Clock.Advance(TimeSpan.FromHours(1));
        var late = TestApi.Epoch.AddMinutes(90).ToString("O");
        var old = api.Sandbox.Store.ContactByEmail("old@example.com")!.Id;
        await api.PutAsync($"/v3/contacts/{old}", new JsonObject
        {
            ["update_source"] = "Contact",
            ["email_address"] = new JsonObject { ["address"] = "old@example.com" },
        });

        Assert.Equal(["new@example.com"], await EmailsAsync(api, $"?created_after={Uri.EscapeDataString(mid)}"));
        Assert.Equal(["old@example.com"], await EmailsAsync(api, $"?created_before={Uri.EscapeDataString(mid)}"));
        Assert.Equal(["old@example.com"], await EmailsAsync(api, $"?updated_after={Uri.EscapeDataString(late)}"));
        Assert.Equal(["new@example.com"], await EmailsAsync(api,
            $"?updated_after={Uri.EscapeDataString(mid)}&updated_before={Uri.EscapeDataString(late)}"));
        Assert.Equal(["new@example.com"], await EmailsAsync(api, "?created_after=2025-03-10T12:30:00Z&created_before=2025-03-10T13:30:00Z"));
    }

    [Fact]
    public async Task GetContacts_OptoutFilter_UsesOptOutDate()
    {
        await using var api = await TestApi.StartFakeAsync();
        var unsub = Bodies.Contact("unsub@example.com");
        unsub["email_address"]!["permission_to_send"] = "unsubscribed";
        await api.PostAsync("/v3/contacts", unsub);
        await api.CreateContactAsync("ok@example.com");

        Assert.Equal(["unsub@example.com"], await EmailsAsync(api, "?optout_after=2025-01-01T00:00:00Z"));
        Assert.Empty(await EmailsAsync(api, "?optout_before=2025-01-01T00:00:00Z"));
    }

    [Fact]
    public async Task GetContacts_Include_AddsOnlyRequestedSubresources()
    {
        await using var api = await TestApi.StartAsync();
        var field = await api.CreateFieldAsync("Shoe Size");
        await api.CreateContactAsync("i@example.com", extra: new JsonObject
        {
            ["custom_fields"] = new JsonArray(new JsonObject { ["custom_field_id"] = field, ["value"] = "42" }),
            ["street_addresses"] = new JsonArray(new JsonObject { ["kind"] = "home", ["city"] = "Oslo" }),
            ["notes"] = new JsonArray(new JsonObject { ["content"] = "hello" }),
        });

        var none = (await api.GetAsync("/v3/contacts")).Object["contacts"]![0]!.AsObject();
        var some = (await api.GetAsync("/v3/contacts?include=custom_fields,street_addresses,notes,taggings")).Object["contacts"]![0]!.AsObject();

        Assert.DoesNotContain(none, p => p.Key is "custom_fields" or "street_addresses" or "notes" or "taggings" or "phone_numbers");
        Assert.Equal("42", some["custom_fields"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("Oslo", some["street_addresses"]![0]!["city"]!.GetValue<string>());
        Assert.Equal("hello", some["notes"]![0]!["content"]!.GetValue<string>());
        Assert.Empty(some["taggings"]!.AsArray());
        Assert.Null(some["phone_numbers"]);
    }

    [Fact]
    public async Task GetContacts_IncludeCount_CountsAllMatches()
    {
        await using var api = await TestApi.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await api.CreateContactAsync($"c{i}@example.com");
        }

        var reply = await api.GetAsync("/v3/contacts?limit=1&include_count=true");
        var without = await api.GetAsync("/v3/contacts");

        Assert.Equal(3, reply.Object["contacts_count"]!.GetValue<int>());
        Assert.Null(without.Object["contacts_count"]);
    }

    [Fact]
    public async Task GetContacts_UnknownSegmentId_Returns404()
    {
        await using var api = await TestApi.StartAsync();

        Assert.Equal(404, (await api.GetAsync("/v3/contacts?segment_id=14")).Code);
    }
}
