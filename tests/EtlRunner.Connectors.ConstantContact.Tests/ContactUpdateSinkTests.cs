using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

public sealed class ContactUpdateSinkTests
{
    [Fact]
    public async Task Write_ByEmail_ChangesOnlyTheMappedFields()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2, onListA: true));

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Update, [Of(("email_address", "person1@example.com"), ("job_title", "Captain"))]);

        // Then
        Assert.Equal(1, outcome.Written);
        var contact = harness.Sandbox.Store.ContactByEmail("person1@example.com")!;
        Assert.Equal(("First1", "Last1", "Captain", "implicit"), (contact.FirstName, contact.LastName, contact.JobTitle, contact.PermissionToSend));
        Assert.Equal(new[] { SeedData.ListA }, contact.ListMemberships);
        Assert.Equal(1, harness.Sandbox.Stats.Count("GET /v3/contacts"));
        Assert.Equal(1, harness.Sandbox.Stats.Count("PUT /v3/contacts/{contact_id}"));
    }

    [Fact]
    public async Task Write_ById_CanChangeTheEmailAndSubResources()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1, onListA: true));
        var id = harness.Sandbox.Store.ContactByEmail("person1@example.com")!.Id.ToString();
        var phones = new List<object?> { new Dictionary<string, object?> { ["phone_number"] = "555-0100", ["kind"] = "work" } };

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Update, [Of(("contact_id", id), ("email_address", "moved@example.com"), ("phone_numbers", phones))]);

        // Then
        Assert.Equal(1, outcome.Written);
        var contact = harness.Sandbox.Store.Contact(Guid.Parse(id))!;
        Assert.Equal(("moved@example.com", "First1", "implicit"), (contact.Email, contact.FirstName, contact.PermissionToSend));
        Assert.Equal(("work", "555-0100"), Assert.Single(contact.PhoneNumbers));
        Assert.Equal(new[] { SeedData.ListA }, contact.ListMemberships);
        Assert.Equal(1, harness.Sandbox.Stats.Count("GET /v3/contacts/{contact_id}"));
    }

    [Fact]
    public async Task Write_NothingChanges_SkipsWithoutPut()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1));

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Update, [Of(("email_address", "person1@example.com"), ("first_name", "First1"), ("last_name", null))]);

        // Then
        Assert.Equal(1, outcome.Skipped);
        Assert.Equal(0, harness.Sandbox.Stats.Count("PUT /v3/contacts/{contact_id}"));
    }

    [Fact]
    public async Task Write_UnknownContact_Rejects()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1));
        var missingId = Guid.NewGuid().ToString();

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Update, [
            Of(("email_address", "nobody@example.com"), ("first_name", "X")),
            Of(("contact_id", missingId), ("first_name", "Y")),
            Of(("first_name", "Z")),
            Of(("email_address", "person1@example.com"), ("first_name", "Found")),
        ]);

        // Then
        Assert.Equal(1, outcome.Written);
        Assert.Equal(4, outcome.Total);
        Assert.Equal(
            ["no contact with email nobody@example.com", $"contact {missingId} not found", "the record has neither contact_id nor email_address, so no contact can be found to update"],
            outcome.Rejected.Select(r => r.Reason).ToArray());
        Assert.Equal("Found", harness.Sandbox.Store.ContactByEmail("person1@example.com")!.FirstName);
    }
}
