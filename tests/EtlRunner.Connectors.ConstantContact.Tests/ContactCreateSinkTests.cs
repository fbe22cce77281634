using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

public sealed class ContactCreateSinkTests
{
    [Fact]
    public async Task Write_NewContacts_CreatesEachWithOnePost()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData());
        var records = New(12);
        var color = new List<object?> { new Dictionary<string, object?> { ["custom_field_id"] = SeedData.FieldColor.ToString(), ["value"] = "teal" } };
        records.Add(Of(("email_address", Email("obj@example.com", "explicit")), ("first_name", "Obi"), ("birthday_month", "3"), ("birthday_day", 14L), ("job_title", ""), ("custom_fields", color)));

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, records, batchSize: 5);

        // Then
        Assert.Equal(13, outcome.Written);
        Assert.Equal(13, outcome.Total);
        Assert.Equal(13, harness.Sandbox.Stats.Count("POST /v3/contacts"));
        Assert.Equal(13, harness.Sandbox.Stats.Total);
        var obi = harness.Sandbox.Store.ContactByEmail("obj@example.com")!;
        Assert.Equal(("Obi", "explicit", 3, 14), (obi.FirstName, obi.PermissionToSend, obi.BirthdayMonth, obi.BirthdayDay));
        Assert.Equal("Account", obi.CreateSource);
        Assert.Null(obi.JobTitle);
        Assert.Equal("teal", obi.CustomFields[SeedData.FieldColor]);
    }

    [Fact]
    public async Task Write_Duplicate_FailRejectsWithTheApiMessage()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1));

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, [Of(("email_address", "person1@example.com"), ("first_name", "Other"))]);

        // Then
        var reject = Assert.Single(outcome.Rejected);
        Assert.Equal("contacts.api.conflict", reject.Code);
        Assert.Contains("Email already exists for contact", reject.Reason, StringComparison.Ordinal);
        Assert.Equal("First1", harness.Sandbox.Store.ContactByEmail("person1@example.com")!.FirstName);
        Assert.Null(outcome.StopReason);
    }

    [Fact]
    public async Task Write_DuplicateHoldingTheRecordsData_CountsAsWrittenWithoutAnotherPost()
    {
        // Given: the contacts an earlier run created (its ledger since lost: nothing flags the records)
        await using var harness = await SandboxHarness.StartAsync(new SeedData());
        await harness.WriteAsync(ActivityKind.Create, New(3));

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, New(3));

        // Then: 409, looked up by email, ours: written, not rejected; nothing created twice
        Assert.Equal((3, 0), (outcome.Written, outcome.Rejected.Count));
        Assert.Equal(3, harness.Sandbox.Store.Contacts().Count);
        Assert.Equal(6, harness.Sandbox.Stats.Count("POST /v3/contacts"));
    }

    [Fact]
    public async Task Write_Duplicate_SkipCountsItSkipped()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2));
        var records = New(2);
        records.Insert(1, Of(("email_address", "person2@example.com"), ("first_name", "Other")));

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, records, Params(("on_conflict", "skip")));

        // Then
        Assert.Equal((2, 1, 0), (outcome.Written, outcome.Skipped, outcome.Rejected.Count));
        Assert.Equal("First2", harness.Sandbox.Store.ContactByEmail("person2@example.com")!.FirstName);
        Assert.Equal(3, harness.Sandbox.Stats.Total);
    }

    [Fact]
    public async Task Write_Duplicate_UpdateMergesIntoTheExistingContact()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1, onListA: true));
        var record = Of(("email_address", "person1@example.com"), ("first_name", "Changed"), ("list_memberships", new List<object?> { SeedData.ListB.ToString() }));

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, [record], Params(("on_conflict", "update")));

        // Then
        Assert.Equal(1, outcome.Written);
        var contact = harness.Sandbox.Store.ContactByEmail("person1@example.com")!;
        Assert.Equal(("Changed", "Last1", "Job1"), (contact.FirstName, contact.LastName, contact.JobTitle));
        Assert.Equal(new[] { SeedData.ListB }, contact.ListMemberships);
        Assert.Equal(1, harness.Sandbox.Stats.Count("PUT /v3/contacts/{contact_id}"));
        Assert.Equal(3, harness.Sandbox.Stats.Total);
    }

    [Fact]
    public async Task Write_FieldTooLong_RejectsWithErrorKey()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync();
        var records = New(2);
        records.Insert(1, Of(("email_address", "long@example.com"), ("first_name", new string('x', 51))));

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, records);

        // Then
        Assert.Equal(2, outcome.Written);
        var reject = Assert.Single(outcome.Rejected);
        Assert.Equal("contacts.api.validation.error", reject.Code);
        Assert.Contains("first_name", reject.Reason, StringComparison.Ordinal);
        Assert.Null(harness.Sandbox.Store.ContactByEmail("long@example.com"));
    }

    [Fact]
    public async Task Write_UnknownField_RejectsNamingItWithoutARequest()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync();

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, [Of(("email_address", "u@example.com"), ("favourite_colour", "red"), ("shoe", 42L))]);

        // Then
        var reject = Assert.Single(outcome.Rejected);
        Assert.Equal("unknown_field", reject.Code);
        Assert.StartsWith("unknown fields favourite_colour, shoe", reject.Reason, StringComparison.Ordinal);
        Assert.Equal(0, harness.Sandbox.Stats.Total);
    }

    [Fact]
    public async Task Write_CancelledHalfway_CountsWhatWasWrittenAndRejectsOnlyTheRest()
    {
        // Given: 10 requests a second, cancelled once the third contact exists (not after a time: machines are slow)
        await using var harness = await SandboxHarness.StartAsync();
        harness.Connection["requests_per_second"] = 10.0;
        await using var run = harness.NewRun();
        await using var sink = harness.Connector.CreateSink(run.Activity(ActivityKind.Create));
        var batch = New(40);
        using var cancel = new CancellationTokenSource();
        var canceller = Task.Run(async () =>
        {
            while (harness.Sandbox.Store.Contacts().Count < 3)
            {
                await Task.Delay(10);
            }

            await cancel.CancelAsync();
        });

        // When
        var result = await sink.WriteAsync(batch, new RecordingContext(), cancel.Token);
        await canceller;

        // Then
        var created = harness.Sandbox.Store.Contacts().Count;
        Assert.InRange(created, 1, 39);
        Assert.Equal(40, result.Total);
        Assert.InRange(result.Written, created - 1, created); // the POST in flight may have landed without its answer
        Assert.All(result.Rejected, r => Assert.Equal("stopped", r.Code));
        Assert.Equal("not written: the operation stopped before Constant Contact confirmed this record", result.StopReason);
    }
}
