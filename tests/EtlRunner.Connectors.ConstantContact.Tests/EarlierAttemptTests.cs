using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

/// <summary>
/// Records the write ledger flags as sent by an interrupted earlier run (<see cref="ISinkContext.MayHaveBeenWritten"/>):
/// checked before they are written again, never duplicated, never rejected because of our own earlier attempt.
/// </summary>
public sealed class EarlierAttemptTests
{
    private static Record Person(int n, string? firstName = null) =>
        Of(("email_address", $"person{n}@example.com"), ("first_name", firstName ?? "First" + n), ("last_name", "Last" + n), ("job_title", "Job" + n));

    [Fact]
    public async Task Create_FlaggedRecordAlreadyCreated_CountsWrittenWithoutPost()
    {
        // Given: person1 was created by the earlier attempt; new1 was not
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2));
        var created = Person(1);
        var lost = Of(("email_address", "new1@example.com"), ("first_name", "Nina1"));
        var plain = Of(("email_address", "new2@example.com"), ("first_name", "Nina2"));
        var context = new RecordingContext { Uncertain = { created, lost } };

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, [created, lost, plain], context: context);

        // Then
        Assert.Equal((3, 0, 0), (outcome.Written, outcome.Skipped, outcome.Rejected.Count));
        Assert.Equal(2, harness.Sandbox.Stats.Count("POST /v3/contacts"));
        Assert.Equal(2, harness.Sandbox.Stats.Count("POST /v3/contacts", 201));
        Assert.Equal(0, harness.Sandbox.Stats.CountStatus(409));
        Assert.Equal(2, harness.Sandbox.Stats.Count("GET /v3/contacts")); // one lookup per flagged record
        Assert.Equal(4, harness.Sandbox.Store.Contacts().Count);
        Assert.Contains(context.Waits, w => w == "checking whether 2 contact(s) sent by an interrupted earlier run were created");
    }

    [Theory]
    [InlineData("fail")]
    [InlineData("skip")]
    [InlineData("update")]
    public async Task Create_FlaggedRecordWhoseEmailHoldsOtherData_FollowsOnConflict(string onConflict)
    {
        // Given: the contact with that email is not ours (other first name)
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1));
        var record = Person(1, firstName: "Other");
        var context = new RecordingContext { Uncertain = { record } };

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, [record], Params(("on_conflict", onConflict)), context);

        // Then
        Assert.Equal(0, harness.Sandbox.Stats.Count("POST /v3/contacts"));
        var contact = harness.Sandbox.Store.ContactByEmail("person1@example.com")!;
        switch (onConflict)
        {
            case "fail":
                var reject = Assert.Single(outcome.Rejected);
                Assert.Equal("contacts.api.conflict", reject.Code);
                Assert.StartsWith($"Email already exists for contact {contact.Id} (with other data; an interrupted earlier run sent this record", reject.Reason, StringComparison.Ordinal);
                Assert.EndsWith("(on_conflict: fail; set on_conflict: skip or update to accept existing contacts)", reject.Reason, StringComparison.Ordinal);
                Assert.Equal("First1", contact.FirstName);
                break;
            case "skip":
                Assert.Equal(1, outcome.Skipped);
                Assert.Equal("First1", contact.FirstName);
                break;
            default:
                Assert.Equal(1, outcome.Written);
                Assert.Equal("Other", contact.FirstName);
                Assert.Equal(1, harness.Sandbox.Stats.Count("PUT /v3/contacts/{contact_id}"));
                break;
        }
    }

    [Fact]
    public async Task Create_FlaggedRecordWhoseContactWasDeleted_IsNotCountedAsOurs()
    {
        // Given: a deleted contact with our data (a POST cannot have created a deleted contact)
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1));
        await harness.WriteAsync(ActivityKind.Delete, [Of(("email_address", "person1@example.com"))]);
        var record = Person(1);
        var context = new RecordingContext { Uncertain = { record } };

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, [record], context: context);

        // Then
        var reject = Assert.Single(outcome.Rejected);
        Assert.Contains("(deleted; an interrupted earlier run sent this record", reject.Reason, StringComparison.Ordinal);
        Assert.Equal(0, harness.Sandbox.Stats.Count("POST /v3/contacts"));
    }

    [Fact]
    public async Task Create_ManyFlaggedRecords_ReadTheContactListOnceInsteadOfOneLookupEach()
    {
        // Given: ten flagged records, five of them already created by the earlier attempt
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(20));
        var records = Enumerable.Range(1, 5).Select(i => Person(i)).Concat(New(5)).ToList();
        var context = new RecordingContext();
        context.Uncertain.UnionWith(records);

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, records, context: context);

        // Then
        Assert.Equal((10, 0), (outcome.Written, outcome.Rejected.Count));
        Assert.Equal(1, harness.Sandbox.Stats.Count("GET /v3/contacts"));
        Assert.Equal(5, harness.Sandbox.Stats.Count("POST /v3/contacts"));
        Assert.Equal(0, harness.Sandbox.Stats.CountStatus(409));
        Assert.Equal(25, harness.Sandbox.Store.Contacts().Count);
    }

    [Fact]
    public async Task Create_FlaggedRecordWithoutEmail_IsRejectedNotSentAgain()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync();
        var record = Of(("first_name", "Nomail"), ("last_name", "Person"));
        var context = new RecordingContext { Uncertain = { record } };

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, [record], context: context);

        // Then
        var reject = Assert.Single(outcome.Rejected);
        Assert.Equal("unknown_outcome", reject.Code);
        Assert.Contains("no email address to check whether the contact exists", reject.Reason, StringComparison.Ordinal);
        Assert.Equal(0, harness.Sandbox.Stats.Total);
    }

    [Fact]
    public async Task Update_FlaggedRecords_AreMergedAgainWithoutARepeatedPut()
    {
        // Given: the earlier attempt already set person1's job_title; person2's update never went out
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2));
        var applied = Of(("email_address", "person1@example.com"), ("job_title", "Job1"));
        var pending = Of(("email_address", "person2@example.com"), ("job_title", "Changed"));
        var context = new RecordingContext { Uncertain = { applied, pending } };

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Update, [applied, pending], context: context);

        // Then
        Assert.Equal((1, 1, 0), (outcome.Written, outcome.Skipped, outcome.Rejected.Count));
        Assert.Equal(1, harness.Sandbox.Stats.Count("PUT /v3/contacts/{contact_id}"));
        Assert.Equal("Changed", harness.Sandbox.Store.ContactByEmail("person2@example.com")!.JobTitle);
    }

    [Fact]
    public async Task Delete_FlaggedRecordsAlreadyDeleted_CountWritten()
    {
        // Given: the earlier attempt deleted person1 and person2
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(3));
        var id2 = harness.Sandbox.Store.ContactByEmail("person2@example.com")!.Id.ToString();
        await harness.WriteAsync(ActivityKind.Delete, [Of(("email_address", "person1@example.com")), Of(("contact_id", id2))]);
        var byEmail = Of(("email_address", "person1@example.com"));
        var byId = Of(("contact_id", id2));
        var notFlagged = Of(("email_address", "person1@example.com"));
        var context = new RecordingContext { Uncertain = { byEmail, byId } };

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Delete, [byEmail, byId, notFlagged, Of(("email_address", "person3@example.com"))], context: context);

        // Then
        Assert.Equal((3, 1, 0), (outcome.Written, outcome.Skipped, outcome.Rejected.Count));
        Assert.Empty(harness.Sandbox.Store.Contacts());
    }

    [Fact]
    public async Task Delete_BulkFlaggedIdsAlreadyDeleted_CountWritten()
    {
        // Given: the earlier attempt's activity deleted the first two
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(4));
        var ids = harness.Sandbox.Store.Contacts().Select(c => c.Id.ToString()).ToList();
        await harness.WriteAsync(ActivityKind.Delete, ids.Take(2).Select(id => Of(("contact_id", id))), Params(("mode", "bulk")));
        var records = ids.Select(id => Of(("contact_id", id))).ToList();
        var context = new RecordingContext();
        context.Uncertain.UnionWith(records.Take(2));

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Delete, records, Params(("mode", "bulk")), context);

        // Then
        Assert.Equal((4, 0), (outcome.Written, outcome.Rejected.Count));
        Assert.Empty(harness.Sandbox.Store.Contacts());
    }
}
