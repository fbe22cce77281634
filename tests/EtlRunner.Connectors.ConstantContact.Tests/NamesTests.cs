using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

/// <summary>Lists, tags and custom fields by name wherever a contact is written.</summary>
public sealed class NamesTests
{
    [Fact]
    public async Task Create_Single_ListsTagsAndCustomFieldsByName_AreResolvedOncePerRun()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData());
        var records = Enumerable.Range(1, 3).Select(i => Of(
            ("email_address", $"n{i}@example.com"),
            ("list_memberships", "newsletter, List A"),
            ("taggings", "VIP"),
            ("custom_fields", new Dictionary<string, object?> { ["color"] = "teal" }))).ToList();

        var outcome = await harness.WriteAsync(ActivityKind.Create, records, Params(("create_missing", true)));

        Assert.Equal(3, outcome.Written);
        var newsletter = Assert.Single(harness.Sandbox.Store.Lists(), l => l.Name == "newsletter").Id;
        var contact = harness.Sandbox.Store.ContactByEmail("n2@example.com")!;
        Assert.Equal([newsletter, SeedData.ListA], contact.ListMemberships);
        Assert.Single(contact.Taggings);
        Assert.Equal("teal", contact.CustomFields[SeedData.FieldColor]);
        Assert.Equal((1, 1), (harness.Sandbox.Stats.Count("GET /v3/contact_lists"), harness.Sandbox.Stats.Count("POST /v3/contact_lists")));
        Assert.Equal((1, 1), (harness.Sandbox.Stats.Count("GET /v3/contact_tags"), harness.Sandbox.Stats.Count("POST /v3/contact_tags")));
        Assert.Equal(1, harness.Sandbox.Stats.Count("GET /v3/contact_custom_fields"));
        Assert.Equal(3, harness.Sandbox.Stats.Count("POST /v3/contacts"));
    }

    [Fact]
    public async Task Create_Single_UnknownListName_IsAnOrdinaryRejectNamingTheLists()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData());

        var outcome = await harness.WriteAsync(ActivityKind.Create, [Of(("email_address", "n@example.com"), ("list_memberships", "Newsletter"))]);

        var reject = Assert.Single(outcome.Rejected);
        Assert.Equal(("list_memberships: no list named 'Newsletter'; lists are: List A, List B (create_missing: true creates it)", "unknown_list"), (reject.Reason, reject.Code));
        Assert.Equal(0, harness.Sandbox.Stats.Count("POST /v3/contacts"));
    }

    [Fact]
    public async Task Update_Single_CustomFieldByLabel_WritesItsValue_UnknownFieldRejected()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2));

        var outcome = await harness.WriteAsync(ActivityKind.Update,
        [
            Of(("email", "person1@example.com"), ("custom_fields", new Dictionary<string, object?> { ["Color"] = "red" })),
            Of(("email", "person2@example.com"), ("custom_fields", new Dictionary<string, object?> { ["Signup source"] = "web" })),
        ]);

        Assert.Equal(1, outcome.Written);
        Assert.Equal("red", harness.Sandbox.Store.ContactByEmail("person1@example.com")!.CustomFields[SeedData.FieldColor]);
        Assert.Equal("custom_fields: no custom field named 'Signup source'; custom fields are: Color (create_missing: true creates it)", Assert.Single(outcome.Rejected).Reason);
    }

    [Fact]
    public async Task Create_Bulk_ListIdsByName_ImportIntoThatList()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData());

        var outcome = await harness.WriteAsync(ActivityKind.Create, New(3), Params(("mode", "bulk"), ("list_ids", new[] { "list b" })));
        var unknown = await harness.WriteAsync(ActivityKind.Create, New(2, "other"), Params(("mode", "bulk"), ("list_ids", new[] { "Nope" })));

        Assert.Equal(3, outcome.Written);
        Assert.All(harness.Sandbox.Store.Contacts(), c => Assert.Equal([SeedData.ListB], c.ListMemberships));
        Assert.Equal(2, unknown.Rejected.Count);
        Assert.All(unknown.Rejected, r => Assert.Equal("unknown_list", r.Code));
        Assert.Equal(1, harness.Sandbox.Stats.Count("POST /v3/activities/contacts_json_import"));
    }

    [Fact]
    public async Task Create_Bulk_CfColumnByLabel_WithCreateMissing_CreatesTheStringFieldOnceBeforeTheImport()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData());
        var records = Enumerable.Range(1, 3).Select(i => Of(("email", $"b{i}@example.com"), ("cf:Signup source", "web"), ("cf:color", "teal"))).ToList();

        var outcome = await harness.WriteAsync(ActivityKind.Create, records, Params(("mode", "bulk"), ("list_ids", new[] { "List A" }), ("create_missing", true)));

        Assert.Equal(3, outcome.Written);
        var field = Assert.Single(harness.Sandbox.Store.CustomFields(), f => f.Label == "Signup source");
        Assert.Equal("string", field.Type);
        Assert.All(harness.Sandbox.Store.Contacts(), c => Assert.Equal(("web", "teal"), (c.CustomFields[field.Id], c.CustomFields[SeedData.FieldColor])));
        Assert.Equal((1, 1), (harness.Sandbox.Stats.Count("GET /v3/contact_custom_fields"), harness.Sandbox.Stats.Count("POST /v3/contact_custom_fields")));
        Assert.Equal(1, harness.Sandbox.Stats.Count("POST /v3/activities/contacts_json_import"));
    }

    [Fact]
    public async Task Create_Bulk_UnknownCfColumn_RejectsItsRecordsNamingTheCustomFields_AndImportsTheRest()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData());

        var outcome = await harness.WriteAsync(ActivityKind.Create,
        [
            Of(("email", "u1@example.com"), ("cf:Signup source", "web")),
            Of(("email", "u2@example.com"), ("cf:Color", "red")),
            Of(("email", "u3@example.com"), ("cf:Signup source", "ad")),
        ], Params(("mode", "bulk"), ("list_ids", new[] { SeedData.ListA.ToString() })));

        Assert.Equal(1, outcome.Written);
        Assert.Equal(2, outcome.Rejected.Count);
        Assert.All(outcome.Rejected, r => Assert.Equal(
            ("cf:Signup source: no custom field named 'Signup source'; custom fields are: Color (create_missing: true creates it)", "unknown_custom_field"),
            (r.Reason, r.Code)));
        Assert.Equal("red", Assert.Single(harness.Sandbox.Store.Contacts()).CustomFields[SeedData.FieldColor]);
        Assert.Equal((1, 0), (harness.Sandbox.Stats.Count("GET /v3/contact_custom_fields"), harness.Sandbox.Stats.Count("POST /v3/contact_custom_fields")));
        Assert.Equal(1, harness.Sandbox.Stats.Count("POST /v3/activities/contacts_json_import"));
    }
}
