using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

public sealed class ContactDeleteSinkTests
{
    [Fact]
    public async Task Write_ByIdAndByEmail_DeletesAndRejectsUnknown()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(3));
        var id = harness.Sandbox.Store.ContactByEmail("person1@example.com")!.Id.ToString();
        var missingId = Guid.NewGuid().ToString();

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Delete, [
            Of(("contact_id", id), ("first_name", "ignored")),
            Of(("email_address", Email("person2@example.com"))),
            Of(("email", "nobody@example.com")),
            Of(("contact_id", missingId)),
        ]);

        // Then
        Assert.Equal(2, outcome.Written);
        Assert.Equal(["no contact with email nobody@example.com", $"contact {missingId} not found"], outcome.Rejected.Select(r => r.Reason).ToArray());
        Assert.Equal(["person3@example.com"], harness.Sandbox.Store.Contacts().Select(c => c.Email!).ToArray());
        Assert.Equal(3, harness.Sandbox.Stats.Count("DELETE /v3/contacts/{contact_id}"));
    }

    [Fact]
    public async Task Write_AlreadyDeleted_IsSkipped()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1));
        await harness.WriteAsync(ActivityKind.Delete, [Of(("email_address", "person1@example.com"))]);

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Delete, [Of(("email_address", "person1@example.com"))]);

        // Then
        Assert.Equal(1, outcome.Skipped);
        Assert.Equal(1, harness.Sandbox.Stats.Count("DELETE /v3/contacts/{contact_id}"));
    }

    [Fact]
    public async Task Write_MoreThanMaxDeletes_StopsBeforeDeletingThem()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(12));
        var records = Enumerable.Range(1, 12).Select(i => Of(("email_address", $"person{i}@example.com"))).ToList();

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Delete, records, Params(("max_deletes", 6L)), batchSize: 4);

        // Then
        Assert.Equal(4, outcome.Written);
        Assert.Equal(4, outcome.Rejected.Count); // the second batch; the engine stops feeding after it
        Assert.StartsWith("max_deletes (6) reached: ", outcome.StopReason, StringComparison.Ordinal);
        Assert.Contains("raise max_deletes to allow more", outcome.StopReason, StringComparison.Ordinal);
        Assert.All(outcome.Rejected, r => Assert.Equal(outcome.StopReason, r.Reason));
        Assert.Equal(8, harness.Sandbox.Store.Contacts().Count);
    }

    [Fact]
    public async Task Write_ManyEmails_ReadsTheListOnceInsteadOfOneLookupEach()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(60));
        var records = Enumerable.Range(1, 40).Select(i => Of(("email_address", $"person{i}@example.com"))).ToList();

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Delete, records, batchSize: 40);

        // Then
        Assert.Equal(40, outcome.Written);
        Assert.Equal(1, harness.Sandbox.Stats.Count("GET /v3/contacts"));
        Assert.Equal(40, harness.Sandbox.Stats.Count("DELETE /v3/contacts/{contact_id}"));
    }
}
