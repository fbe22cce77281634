using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

public sealed class MembershipSinkTests
{
    private static readonly ActivityKind AddToLists = ConstantContactParameters.AddToLists.Kind;
    private static readonly ActivityKind RemoveFromLists = ConstantContactParameters.RemoveFromLists.Kind;
    private static readonly ActivityKind AddTags = ConstantContactParameters.AddTags.Kind;
    private static readonly ActivityKind RemoveTags = ConstantContactParameters.RemoveTags.Kind;

    private static List<Record> ByEmail(int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(i => Of(("email", $"person{i}@example.com")))];

    [Fact]
    public async Task AddToLists_AListNamedThatDoesNotExist_WithCreateMissing_IsCreatedOnceAndEveryContactJoinsIt()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(100, onListA: true));

        var outcome = await harness.WriteAsync(AddToLists, ByEmail(1, 100), Params(("lists", new[] { "Newsletter" }), ("create_missing", true)));

        Assert.Equal(100, outcome.Written);
        var newsletter = Assert.Single(harness.Sandbox.Store.Lists(), l => l.Name == "Newsletter").Id;
        Assert.All(harness.Sandbox.Store.Contacts(), c => Assert.Equal([SeedData.ListA, newsletter], c.ListMemberships));
        Assert.Equal(1, harness.Sandbox.Stats.Count("GET /v3/contact_lists"));
        Assert.Equal(1, harness.Sandbox.Stats.Count("POST /v3/contact_lists"));
        Assert.Equal(1, harness.Sandbox.Stats.Count("POST /v3/activities/add_list_memberships"));
        Assert.Equal(1, harness.Sandbox.Stats.Count("GET /v3/contacts")); // one page of 500 finds all 100 emails
    }

    [Fact]
    public async Task RemoveFromLists_ByNameAnyCase_LeavesTheOtherMembershipsAndTheContacts()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(12, onListA: true, onListB: true));
        var ids = harness.Sandbox.Store.Contacts().Select(c => c.Id.ToString()).ToList();

        var outcome = await harness.WriteAsync(RemoveFromLists, [.. ids.Take(10).Select(id => Of(("contact_id", id)))], Params(("lists", new[] { "list b" })));

        Assert.Equal(10, outcome.Written);
        var contacts = harness.Sandbox.Store.Contacts();
        Assert.Equal(12, contacts.Count);
        Assert.All(contacts.Take(10), c => Assert.Equal([SeedData.ListA], c.ListMemberships));
        Assert.All(contacts.Skip(10), c => Assert.Equal([SeedData.ListA, SeedData.ListB], c.ListMemberships));
        Assert.Equal(0, harness.Sandbox.Stats.Count("GET /v3/contacts"));
    }

    [Fact]
    public async Task AddToLists_UnknownListName_RejectsEachRecordWithTheListsThereAreAndSendsNothing()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(3));

        var outcome = await harness.WriteAsync(AddToLists, ByEmail(1, 3), Params(("lists", new[] { "Newsletter" })));

        Assert.Equal(3, outcome.Rejected.Count);
        Assert.All(outcome.Rejected, r => Assert.Equal(("no list named 'Newsletter'; lists are: List A, List B (create_missing: true creates it)", "unknown_list"), (r.Reason, r.Code)));
        Assert.Equal(0, harness.Sandbox.Stats.Count("POST /v3/activities/add_list_memberships"));
        Assert.Equal(2, harness.Sandbox.Store.Lists().Count);
    }

    [Fact]
    public async Task AddToLists_RecordsListsField_AddsMoreForThatRecord_UnknownEmailRejected()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2));
        var records = new List<Record>
        {
            Of(("email", "person1@example.com")),
            Of(("email", "person2@example.com"), ("lists", "List B")),
            Of(("email", "stranger@example.com")),
        };

        var outcome = await harness.WriteAsync(AddToLists, records, Params(("lists", new[] { SeedData.ListA.ToString() })));

        Assert.Equal(2, outcome.Written);
        Assert.Equal(("no contact with email stranger@example.com", "not_found"), (Assert.Single(outcome.Rejected).Reason, outcome.Rejected[0].Code));
        Assert.Equal([SeedData.ListA], harness.Sandbox.Store.ContactByEmail("person1@example.com")!.ListMemberships);
        Assert.Equal([SeedData.ListA, SeedData.ListB], harness.Sandbox.Store.ContactByEmail("person2@example.com")!.ListMemberships);
        Assert.Equal(2, harness.Sandbox.Stats.Count("POST /v3/activities/add_list_memberships"));
    }

    [Fact]
    public async Task AddToLists_MoreThan500Contacts_SendsOneActivityPer500()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(600));
        var ids = harness.Sandbox.Store.Contacts().Select(c => Of(("contact_id", c.Id.ToString()))).ToList();

        var outcome = await harness.WriteAsync(AddToLists, ids, Params(("lists", new[] { "List A" })));

        Assert.Equal(500, outcome.BatchSize);
        Assert.Equal(600, outcome.Written);
        Assert.Equal(2, harness.Sandbox.Stats.Count("POST /v3/activities/add_list_memberships"));
        Assert.All(harness.Sandbox.Store.Contacts(), c => Assert.Equal([SeedData.ListA], c.ListMemberships));
    }

    [Fact]
    public async Task AddAndRemoveTags_CreateMissingTagOnce_UntagOnlyTheGivenContacts()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(20));
        await using var run = harness.NewRun();

        var tagged = await run.WriteAsync(AddTags, ByEmail(1, 20), Params(("tags", new[] { "VIP" }), ("create_missing", true)));
        var untagged = await run.WriteAsync(RemoveTags, ByEmail(1, 5), Params(("tags", new[] { "vip" })));

        Assert.Equal((20, 5), (tagged.Written, untagged.Written));
        var contacts = harness.Sandbox.Store.Contacts();
        Assert.All(contacts.Take(5), c => Assert.Empty(c.Taggings));
        Assert.All(contacts.Skip(5), c => Assert.Single(c.Taggings));
        Assert.Equal(1, harness.Sandbox.Stats.Count("GET /v3/contact_tags"));
        Assert.Equal(1, harness.Sandbox.Stats.Count("POST /v3/contact_tags"));
        Assert.Equal((1, 1), (harness.Sandbox.Stats.Count("POST /v3/activities/contacts_taggings_add"), harness.Sandbox.Stats.Count("POST /v3/activities/contacts_taggings_remove")));
    }

    [Fact]
    public async Task AddTags_MoreThan50TagsForARecord_IsRejectedBeforeAnyRequestForIt()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1));
        var tags = string.Join(",", Enumerable.Range(1, 51).Select(i => $"Tag{i}"));

        var outcome = await harness.WriteAsync(AddTags, [Of(("email", "person1@example.com"), ("tags", tags))], Params(("create_missing", true)));

        Assert.Equal("too_many_tags", Assert.Single(outcome.Rejected).Code);
        Assert.Equal(0, harness.Sandbox.Stats.Count("POST /v3/activities/contacts_taggings_add"));
    }
}
