using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

public sealed class UnsubscribeSinkTests
{
    private static readonly ActivityKind Unsubscribe = ConstantContactParameters.Unsubscribe.Kind;

    [Fact]
    public async Task Unsubscribe_OneReadAndOneWritePerContact_KeepsTheContactItsListsAndTheReason()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(3, onListA: true));
        var records = Enumerable.Range(1, 3).Select(i => Of(("email", $"person{i}@example.com"), ("opt_out_reason", "asked by phone"))).ToList();

        var outcome = await harness.WriteAsync(Unsubscribe, records);

        Assert.Equal(3, outcome.Written);
        Assert.Equal(3, harness.Sandbox.Stats.Count("GET /v3/contacts"));
        Assert.Equal(3, harness.Sandbox.Stats.Count("PUT /v3/contacts/{contact_id}"));
        Assert.All(harness.Sandbox.Store.Contacts(), c => Assert.Equal("unsubscribed", c.PermissionToSend));
        Assert.All(harness.Sandbox.Store.Contacts(), c => Assert.Equal([SeedData.ListA], c.ListMemberships));
        Assert.Equal(["Job1", "Job2", "Job3"], harness.Sandbox.Store.Contacts().Select(c => c.JobTitle));
        var read = Assert.Single(await harness.QueryAsync(Params(("email", "person2@example.com"), ("status", new[] { "all" }))));
        var email = (IReadOnlyDictionary<string, object?>)read["email_address"]!;
        Assert.Equal(("unsubscribed", "asked by phone"), (email["permission_to_send"], email["opt_out_reason"]));
    }

    [Fact]
    public async Task Unsubscribe_AlreadyUnsubscribed_IsSkipped_AndALaterCreateWithSkipDoesNotReviveIt()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2));
        await harness.WriteAsync(Unsubscribe, [Of(("email", "person1@example.com"))]);

        var again = await harness.WriteAsync(Unsubscribe, [Of(("email", "person1@example.com"))]);
        var created = await harness.WriteAsync(ActivityKind.Create, [Of(("email_address", "person1@example.com"), ("first_name", "Again"))], Params(("on_conflict", "skip")));

        Assert.Equal(1, again.Skipped);
        Assert.Equal(1, created.Skipped);
        Assert.Equal(1, harness.Sandbox.Stats.Count("PUT /v3/contacts/{contact_id}"));
        var contact = harness.Sandbox.Store.ContactByEmail("person1@example.com")!;
        Assert.Equal(("unsubscribed", "First1"), (contact.PermissionToSend, contact.FirstName));
    }

    [Fact]
    public async Task Unsubscribe_UnknownContact_IsRejected()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1));

        var outcome = await harness.WriteAsync(Unsubscribe, [Of(("email", "nobody@example.com")), Of(("first_name", "No id"))]);

        Assert.Equal(["not_found", "no_identifier"], outcome.Rejected.Select(r => r.Code));
    }
}
