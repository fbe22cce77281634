using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

public sealed class BulkSinkTests
{
    private static readonly string[] ListA = [SeedData.ListA.ToString()];

    [Fact]
    public async Task Create_Bulk_OneImportAndPolls_RejectsTheRowsItsErrorsName()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData());
        var records = New(300);
        records.Insert(10, Of(("email", "not-an-email"), ("first_name", "Bad")));
        records.Insert(20, Of(("email", "long@example.com"), ("last_name", new string('x', 60))));
        records.Insert(30, Of(("email_address", Email("flat@example.com")), ("cf:Color", "blue"), ("home_phone", "555-0101"), ("city", "Paris")));
        records.Insert(40, Of(("email", "cf@example.com"), ("cf:Nope", "x")));
        var context = new RecordingContext();

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, records, Params(("mode", "bulk"), ("list_ids", ListA)), context);

        // Then
        Assert.Equal(40_000, outcome.BatchSize);
        Assert.Equal(301, outcome.Written);
        Assert.Equal(304, outcome.Total);
        Assert.Equal(
            [("cf@example.com", "unknown_custom_field"), ("not-an-email", "import_error"), ("long@example.com", "import_error")],
            outcome.Rejected.Select(r => (r.Record.TryGetValue("email", out var e) ? e : null, r.Code)).ToArray());
        Assert.Contains("last_name exceeds the maximum length", outcome.Rejected[2].Reason, StringComparison.Ordinal);
        Assert.Equal(301, harness.Sandbox.Store.Contacts().Count);
        var flat = harness.Sandbox.Store.ContactByEmail("flat@example.com")!;
        Assert.Equal("blue", flat.CustomFields[SeedData.FieldColor]);
        Assert.Equal(("home", "555-0101"), Assert.Single(flat.PhoneNumbers));
        Assert.Equal(new[] { SeedData.ListA }, flat.ListMemberships);
        Assert.Equal(1, harness.Sandbox.Stats.Count("POST /v3/activities/contacts_json_import"));
        Assert.InRange(harness.Sandbox.Stats.Count("GET /v3/activities/{activity_id}"), 1, 6);
        Assert.Contains(context.Waits, w => w?.StartsWith("waiting for Constant Contact import activity", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Update_Bulk_RejectsUnknownEmailsAndImportsTheRest()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(8));
        var records = Enumerable.Range(1, 8).Select(i => Of(("email_address", $"person{i}@example.com"), ("job_title", "Bulk" + i))).ToList();
        records.Add(Of(("email_address", "stranger@example.com"), ("job_title", "Nope")));

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Update, records, Params(("mode", "bulk"), ("list_ids", ListA)));

        // Then
        Assert.Equal(8, outcome.Written);
        Assert.Equal("no contact with email stranger@example.com", Assert.Single(outcome.Rejected).Reason);
        Assert.Null(harness.Sandbox.Store.ContactByEmail("stranger@example.com"));
        var contact = harness.Sandbox.Store.ContactByEmail("person3@example.com")!;
        Assert.Equal(("First3", "Bulk3"), (contact.FirstName, contact.JobTitle));
        Assert.Equal(1, harness.Sandbox.Stats.Count("GET /v3/contacts"));
    }

    [Fact]
    public async Task Delete_Bulk_DeletesInActivitiesOf500AndRejectsUnknownIds()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(600));
        var ids = harness.Sandbox.Store.Contacts().Select(c => c.Id.ToString()).ToList();
        var records = ids.Take(560).Select(id => Of(("contact_id", id))).ToList();
        var missing = Guid.NewGuid().ToString();
        records.Add(Of(("contact_id", missing)));

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Delete, records, Params(("mode", "bulk")));

        // Then
        Assert.Equal(500, outcome.BatchSize);
        Assert.Equal(560, outcome.Written);
        var reject = Assert.Single(outcome.Rejected);
        Assert.Contains(missing, reject.Reason, StringComparison.Ordinal);
        Assert.Equal(40, harness.Sandbox.Store.Contacts().Count);
        Assert.Equal(2, harness.Sandbox.Stats.Count("POST /v3/activities/contact_delete"));
        Assert.Equal(0, harness.Sandbox.Stats.Count("GET /v3/contacts"));
    }

    [Fact]
    public async Task Delete_BulkByEmail_MaxDeletesStopsBeforeTheActivity()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(20));
        var records = Enumerable.Range(1, 20).Select(i => Of(("email_address", $"person{i}@example.com"))).ToList();

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Delete, records, Params(("mode", "bulk"), ("max_deletes", 10L)));

        // Then
        Assert.Equal(0, outcome.Written);
        Assert.Equal(20, outcome.Rejected.Count);
        Assert.StartsWith("max_deletes (10) reached", outcome.StopReason, StringComparison.Ordinal);
        Assert.Equal(0, harness.Sandbox.Stats.Count("POST /v3/activities/contact_delete"));
        Assert.Equal(20, harness.Sandbox.Store.Contacts().Count);
    }
}
