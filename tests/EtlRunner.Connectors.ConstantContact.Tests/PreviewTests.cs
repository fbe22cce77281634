using System.Text.Json;
using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

/// <summary>
/// A dry run's targets against the sandbox: each preview is followed by the real write over the same records and the
/// same account, and must have predicted it record by record, sent only GET requests, changed nothing, and counted
/// the requests the real write then sent.
/// </summary>
public sealed class PreviewTests
{
    private static readonly JsonSerializerOptions StateJson = new() { IncludeFields = true };

    [Fact]
    public async Task Preview_CreateWithDuplicatesAndInvalidEmails_PredictsTheRealRunPerRecord()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2));
        List<Record> records =
        [
            Of(("email_address", "new1@example.com"), ("first_name", "Nina")),
            Of(("email_address", "person1@example.com"), ("first_name", "Other")),
            Of(("email_address", "person2@example.com"), ("first_name", "First2"), ("last_name", "Last2")),
            Of(("email_address", "not-an-email"), ("first_name", "Broken")),
            Of(("email_address", new string('x', 75) + "@example.com")),
            Of(("email_address", "long@example.com"), ("first_name", new string('n', 51))),
            Of(("email_address", "shoe@example.com"), ("shoe_size", "44")),
            Of(("email_address", "list@example.com"), ("list_memberships", new List<object?> { "99999999-9999-4999-8999-999999999999" })),
            Of(("email_address", "phones@example.com"), ("phone_numbers", Enumerable.Range(1, 4).Select(i => (object?)new Dictionary<string, object?> { ["phone_number"] = $"555-000{i}", ["kind"] = "home" }).ToList())),
            Of(("email_address", "new2@example.com"), ("list_memberships", "List A")),
        ];

        var (preview, _) = await PreviewThenWriteAsync(harness, ActivityKind.Create, records);

        Assert.Equal(
            [RecordAction.Create, RecordAction.Reject, RecordAction.Create, RecordAction.Reject, RecordAction.Reject, RecordAction.Reject, RecordAction.Reject, RecordAction.Reject, RecordAction.Reject, RecordAction.Create],
            preview.Previews.Select(p => p.Action));
        Assert.Equal(["contacts.api.conflict", "contacts.api.validation.error", "contacts.api.validation.error", "contacts.api.validation.error", "unknown_field", "contacts.api.validation.error", "contacts.api.validation.error"], preview.Rejected.Select(r => r.Code));
        Assert.Equal("new1@example.com", preview.Previews[0].Key);
    }

    [Fact]
    public async Task Create_OnConflictUpdate_ReportsCreatedAndUpdatedSeparately()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2));
        var context = new RecordingContext();
        List<Record> records =
        [
            Of(("email_address", "new1@example.com"), ("first_name", "Nina")),
            Of(("email_address", "person1@example.com"), ("job_title", "Captain")),
            Of(("email_address", "person2@example.com"), ("first_name", "First2"), ("job_title", "Job2")),
        ];

        var outcome = await harness.WriteAsync(ActivityKind.Create, records, Params(("on_conflict", "update")), context);

        Assert.Equal((2, 1), (outcome.Written, outcome.Skipped));
        Assert.Equal(new WriteKinds(Created: 1, Updated: 1, Deleted: 0, Unchanged: 1), outcome.Kinds);
        Assert.Equal(3, context.Done);
    }

    [Fact]
    public async Task Preview_CreateOnConflictUpdate_PredictsUpdatesSkipsAndRecordsRepeatedInTheBatch()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2));
        List<Record> records =
        [
            Of(("email_address", "new1@example.com"), ("first_name", "Nina")),
            Of(("email_address", "person1@example.com"), ("job_title", "Captain")),
            Of(("email_address", "person2@example.com"), ("first_name", "First2")),
            Of(("email_address", "new1@example.com"), ("first_name", "Nina")),
            Of(("email_address", "NEW1@example.com"), ("first_name", "Nora")),
            Of(("email_address", "person1@example.com"), ("job_title", "Captain")),
        ];

        var (preview, real) = await PreviewThenWriteAsync(harness, ActivityKind.Create, records, Params(("on_conflict", "update")));

        Assert.Equal(
            [RecordAction.Create, RecordAction.Update, RecordAction.Skip, RecordAction.Skip, RecordAction.Update, RecordAction.Skip],
            preview.Previews.Select(p => p.Action));
        Assert.Equal(["job_title"], preview.Previews[1].ChangedFields);
        Assert.Equal(["email_address", "first_name"], preview.Previews[4].ChangedFields); // the address differs in case: the PUT sends it as given
        Assert.Equal(new WriteKinds(1, 2, 0, 3), real.Kinds);
    }

    [Fact]
    public async Task Preview_CreateOnConflictSkip_SkipsExistingEmails()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1));
        List<Record> records = [Of(("email_address", "person1@example.com"), ("first_name", "Other")), Of(("email_address", "new1@example.com"))];

        var (preview, _) = await PreviewThenWriteAsync(harness, ActivityKind.Create, records, Params(("on_conflict", "skip")));

        Assert.Equal([RecordAction.Skip, RecordAction.Create], preview.Previews.Select(p => p.Action));
        Assert.StartsWith("on_conflict: skip", preview.Previews[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_Update_ReportsTheFieldsThatWouldChange()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(3));
        var third = harness.Sandbox.Store.ContactByEmail("person3@example.com")!.Id.ToString();
        List<Record> records =
        [
            Of(("email_address", "person1@example.com"), ("first_name", "First1"), ("job_title", "Captain")),
            Of(("email_address", "person2@example.com"), ("first_name", "First2")),
            Of(("email_address", "nobody@example.com"), ("job_title", "Ghost")),
            Of(("contact_id", third), ("company_name", "Acme"), ("custom_fields", new Dictionary<string, object?> { ["Color"] = "teal" })),
            Of(("email_address", "person2@example.com"), ("birthday_month", 2L), ("birthday_day", 30L)),
            Of(("first_name", "No id")),
        ];

        var (preview, _) = await PreviewThenWriteAsync(harness, ActivityKind.Update, records);

        Assert.Equal(
            [RecordAction.Update, RecordAction.Skip, RecordAction.Reject, RecordAction.Update, RecordAction.Reject, RecordAction.Reject],
            preview.Previews.Select(p => p.Action));
        Assert.Equal(["job_title"], preview.Previews[0].ChangedFields);
        Assert.Equal(["company_name", "custom_fields"], preview.Previews[3].ChangedFields);
        Assert.Equal(["not_found", "contacts.api.validation.error", "no_identifier"], preview.Rejected.Select(r => r.Code));
    }

    [Fact]
    public async Task Preview_EveryActivity_SendsOnlyReadRequestsAndCreatesNoListOrTag()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(5, onListA: true));
        var before = State(harness);
        var someone = Of(("email_address", "person1@example.com"), ("first_name", "Changed"));
        var activities = new (ActivityKind Kind, Dictionary<string, object?> Parameters)[]
        {
            (ActivityKind.Create, Params(("on_conflict", "update"), ("create_missing", true))),
            (ActivityKind.Create, Params(("mode", "bulk"), ("list_ids", new[] { "Brand new list" }), ("create_missing", true))),
            (ActivityKind.Update, Params()),
            (ActivityKind.Update, Params(("mode", "bulk"))),
            (ActivityKind.Delete, Params()),
            (ActivityKind.Delete, Params(("mode", "bulk"))),
            (ConstantContactParameters.Unsubscribe.Kind, Params()),
            (ConstantContactParameters.AddToLists.Kind, Params(("lists", new[] { "Brand new list" }), ("create_missing", true))),
            (ConstantContactParameters.RemoveFromLists.Kind, Params(("lists", new[] { "List A" }))),
            (ConstantContactParameters.AddTags.Kind, Params(("tags", new[] { "brand-new-tag" }), ("create_missing", true))),
        };

        foreach (var (kind, parameters) in activities)
        {
            var records = new List<Record> { someone, Of(("email_address", "new1@example.com"), ("first_name", "Nina"), ("list_memberships", "Another new list")) }
                .Concat(Enumerable.Range(2, 4).Select(i => Of(("email_address", $"person{i}@example.com"))))
                .ToList();
            var outcome = await harness.WriteAsync(kind, records, parameters, preview: true);
            Assert.Equal(records.Count, outcome.Previews.Count);
        }

        Assert.All(harness.Sandbox.Stats.Snapshot().Keys, route => Assert.StartsWith("GET ", route, StringComparison.Ordinal));
        Assert.Equal(before, State(harness));
    }

    [Fact]
    public async Task Preview_LargeAccountSmallBatch_LooksUpByEmailInsteadOfReadingTheAccount()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1200));
        List<Record> records = [Of(("email_address", "person7@example.com"), ("job_title", "Captain")), Of(("email_address", "person1100@example.com"), ("job_title", "Captain"))];

        var outcome = await harness.WriteAsync(ActivityKind.Update, records, preview: true);

        Assert.Equal(2, harness.Sandbox.Stats.Total);
        Assert.Equal(2, harness.Sandbox.Stats.Count("GET /v3/contacts"));
        Assert.Equal([RecordAction.Update, RecordAction.Update], outcome.Previews.Select(p => p.Action));
        Assert.Equal(4, outcome.PreviewRequests); // the real write: a GET and a PUT each
    }

    [Fact]
    public async Task Preview_ManyRecordsInASmallAccount_ReadsTheAccountOncePerRun()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(600));
        var records = Enumerable.Range(1, 40).Select(i => Of(("email_address", $"person{i * 15}@example.com"), ("job_title", "Captain"))).ToList();

        var (preview, _) = await PreviewThenWriteAsync(harness, ActivityKind.Update, records, batchSize: 10, check: stats => Assert.Equal(2, stats.Total));

        Assert.Equal(4, preview.Batches);
        Assert.All(preview.Previews, p => Assert.Equal(RecordAction.Update, p.Action));
    }

    [Theory]
    [InlineData("single")]
    [InlineData("bulk")]
    public async Task Preview_Delete_PredictsDeletesSkipsAndUnknownContacts(string mode)
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(4), activityDuration: TimeSpan.Zero);
        await harness.WriteAsync(ActivityKind.Delete, [Of(("email_address", "person3@example.com"))]);
        var second = harness.Sandbox.Store.ContactByEmail("person2@example.com")!.Id.ToString();
        List<Record> records =
        [
            Of(("email_address", "person1@example.com")),
            Of(("contact_id", second)),
            Of(("email_address", "person3@example.com")),
            Of(("email_address", "nobody@example.com")),
            Of(("first_name", "No id")),
            Of(("contact_id", "99999999-9999-4999-8999-999999999999")),
            Of(("email_address", "person4@example.com")),
        ];

        var (preview, real) = await PreviewThenWriteAsync(harness, ActivityKind.Delete, records, Params(("mode", mode)));

        Assert.Equal(
            [RecordAction.Delete, RecordAction.Delete, RecordAction.Skip, RecordAction.Reject, RecordAction.Reject, RecordAction.Reject, RecordAction.Delete],
            preview.Previews.Select(p => p.Action));
        Assert.Equal(new WriteKinds(0, 0, 3, 1), real.Kinds);
    }

    [Fact]
    public async Task Preview_DeletePastMaxDeletes_PredictsTheStop()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(3));
        var records = Enumerable.Range(1, 3).Select(i => Of(("email_address", $"person{i}@example.com"))).ToList();

        var (preview, _) = await PreviewThenWriteAsync(harness, ActivityKind.Delete, records, Params(("max_deletes", 2L)));

        Assert.Contains("max_deletes (2) reached", preview.StopReason, StringComparison.Ordinal);
        Assert.All(preview.Previews, p => Assert.Equal(RecordAction.Reject, p.Action));
    }

    [Fact]
    public async Task Preview_Unsubscribe_PredictsTheRealRun()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2));
        List<Record> records =
        [
            Of(("email", "person1@example.com"), ("opt_out_reason", "moved away")),
            Of(("email", "person1@example.com"), ("opt_out_reason", "moved away")),
            Of(("email", "nobody@example.com")),
            Of(("first_name", "No id")),
        ];

        var (preview, real) = await PreviewThenWriteAsync(harness, ConstantContactParameters.Unsubscribe.Kind, records);

        Assert.Equal([RecordAction.Update, RecordAction.Skip, RecordAction.Reject, RecordAction.Reject], preview.Previews.Select(p => p.Action));
        Assert.Equal(["email_address"], preview.Previews[0].ChangedFields);
        Assert.Equal(new WriteKinds(0, 1, 0, 1), real.Kinds);
    }

    [Fact]
    public async Task Preview_AddToLists_PredictsTheRealRun()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(4), activityDuration: TimeSpan.Zero);
        await harness.WriteAsync(ActivityKind.Delete, [Of(("email_address", "person4@example.com"))]);
        var second = harness.Sandbox.Store.ContactByEmail("person2@example.com")!.Id.ToString();
        List<Record> records =
        [
            Of(("email_address", "person1@example.com")),
            Of(("contact_id", second), ("lists", "List A")),
            Of(("email_address", "nobody@example.com")),
            Of(("contact_id", "99999999-9999-4999-8999-999999999999")),
            Of(("email_address", "person4@example.com")),
            Of(("email_address", "person3@example.com"), ("lists", "No such list")),
        ];

        var (preview, real) = await PreviewThenWriteAsync(harness, ConstantContactParameters.AddToLists.Kind, records, Params(("lists", new[] { "List B" })));

        Assert.Equal(
            [RecordAction.Update, RecordAction.Update, RecordAction.Reject, RecordAction.Reject, RecordAction.Reject, RecordAction.Reject],
            preview.Previews.Select(p => p.Action));
        Assert.Equal(new WriteKinds(0, 2, 0, 0), real.Kinds);
    }

    [Fact]
    public async Task Preview_CreateMissingNames_CreatesNoneButCountsTheRequestsTheRealRunSendsForThem()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(3), activityDuration: TimeSpan.Zero);
        List<Record> records =
        [
            Of(("email_address", "person1@example.com"), ("lists", "New list")),
            Of(("email_address", "person2@example.com"), ("lists", "Other new list")),
            Of(("email_address", "person3@example.com"), ("lists", "new LIST")),
        ];

        var (preview, _) = await PreviewThenWriteAsync(harness, ConstantContactParameters.AddToLists.Kind, records, Params(("lists", new[] { "List A" }), ("create_missing", true)));

        Assert.All(preview.Previews, p => Assert.Equal(RecordAction.Update, p.Action));
        Assert.Equal(["List A", "List B", "New list", "Other new list"], harness.Sandbox.Store.Lists().Select(l => l.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("create")]
    [InlineData("update")]
    public async Task Preview_BulkImport_PredictsCreatesUpdatesAndRejects(string activity)
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2), activityDuration: TimeSpan.Zero);
        List<Record> records =
        [
            Of(("email", "new1@example.com"), ("first_name", "Nina")),
            Of(("email", "person1@example.com"), ("job_title", "Captain")),
            Of(("email", "bad@"), ("first_name", "Broken")),
            Of(("email", "shoe@example.com"), ("shoe_size", "44")),
            Of(("email", "person2@example.com"), ("first_name", new string('n', 51))),
        ];
        var kind = activity == "create" ? ActivityKind.Create : ActivityKind.Update;

        var (preview, real) = await PreviewThenWriteAsync(harness, kind, records, Params(("mode", "bulk"), ("list_ids", new[] { SeedData.ListA.ToString() })));

        var created = kind == ActivityKind.Create ? RecordAction.Create : RecordAction.Reject;
        Assert.Equal([created, RecordAction.Update, RecordAction.Reject, RecordAction.Reject, RecordAction.Reject], preview.Previews.Select(p => p.Action));
        Assert.Null(real.Kinds); // the import's report does not say which rows it created
    }

    [Fact]
    public async Task Preview_QuickstartOperations_PredictTheRealRunsCounts()
    {
        var root = RepositoryRoot();
        await using var harness = await SandboxHarness.StartAsync(seedFile: Path.Combine(root, "src/EtlRunner.Cli/Infrastructure/SandboxSeed.json"));
        var data = Path.Combine(root, "examples/data");
        const string newsletter = "1a2b3c4d-0000-4000-8000-00000000c0de";
        var signups = (await ReadCsvAsync(Path.Combine(data, "signups.csv")))
            .Where(r => Text(r, "opt_in") == "yes" && Text(r, "email") != string.Empty)
            .Select(r => Of(
                ("email_address", Text(r, "email").Trim().ToLowerInvariant()),
                ("first_name", Text(r, "first_name")),
                ("last_name", Text(r, "last_name")),
                ("company_name", Text(r, "company")),
                ("list_memberships", new List<object?> { newsletter })))
            .ToList();
        var changes = (await ReadCsvAsync(Path.Combine(data, "company-changes.csv")))
            .Select(r => Of(("email_address", Text(r, "email")), ("company_name", Text(r, "company_name")), ("job_title", Text(r, "job_title"))))
            .ToList();
        var unsubscribes = (await ReadCsvAsync(Path.Combine(data, "unsubscribes.csv")))
            .Select(r => Of(("email_address", Text(r, "email")), ("opt_out_reason", Text(r, "reason"))))
            .ToList();
        var operations = new (ActivityKind Kind, List<Record> Records, Dictionary<string, object?> Parameters)[]
        {
            (ActivityKind.Create, signups, Params(("on_conflict", "update"))),
            (ActivityKind.Update, changes, Params()),
            (ConstantContactParameters.Unsubscribe.Kind, unsubscribes, Params()),
        };
        var previews = await PreviewThenWriteChainAsync(harness, operations);

        Assert.Equal([new WriteKinds(10, 0, 0, 0), new WriteKinds(0, 2, 0, 0), new WriteKinds(0, 2, 0, 0)], previews.Select(p => p.Kinds));
        Assert.Equal([1, 1, 0], previews.Select(p => p.Rejected.Count));
    }

    [Fact]
    public async Task Preview_ChainOfOperations_SeesWhatTheEarlierOnesWouldHaveDone()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2), activityDuration: TimeSpan.Zero);
        var listB = new List<object?> { SeedData.ListB.ToString() };
        var operations = new (ActivityKind Kind, List<Record> Records, Dictionary<string, object?> Parameters)[]
        {
            (ActivityKind.Create, [Of(("email_address", "new1@example.com"), ("first_name", "Nina"))], Params()),
            (ConstantContactParameters.AddToLists.Kind, [Of(("email_address", "new1@example.com")), Of(("email_address", "person1@example.com"))], Params(("lists", new[] { "List B" }))),
            (ActivityKind.Update, [Of(("email_address", "person1@example.com"), ("list_memberships", listB)), Of(("email_address", "new1@example.com"), ("first_name", "Nora"))], Params()),
            (ActivityKind.Delete, [Of(("email_address", "new1@example.com")), Of(("email_address", "person2@example.com"))], Params()),
            (ActivityKind.Update, [Of(("email_address", "person2@example.com"), ("first_name", "Back"))], Params()),
        };

        var previews = await PreviewThenWriteChainAsync(harness, operations);

        Assert.Equal(
            [new WriteKinds(1, 0, 0, 0), new WriteKinds(0, 2, 0, 0), new WriteKinds(0, 1, 0, 1), new WriteKinds(0, 0, 2, 0), new WriteKinds(0, 1, 0, 0)],
            previews.Select(p => p.Kinds));
    }

    /// <summary>
    /// Previews the operations one after the other in one dry run, checks that it sent only GET requests and changed
    /// nothing, then writes them for real in one run and checks each operation's counts, kinds, rejects and requests.
    /// </summary>
    private static async Task<List<SinkOutcome>> PreviewThenWriteChainAsync(
        SandboxHarness harness, (ActivityKind Kind, List<Record> Records, Dictionary<string, object?> Parameters)[] operations)
    {
        var before = State(harness);
        harness.Sandbox.Stats.Reset();
        var previews = new List<SinkOutcome>();
        await using (var dryRun = harness.NewRun())
        {
            foreach (var (kind, records, parameters) in operations)
            {
                previews.Add(await dryRun.WriteAsync(kind, records, parameters, preview: true));
            }
        }

        Assert.Equal(before, State(harness));
        Assert.All(harness.Sandbox.Stats.Snapshot().Keys, route => Assert.StartsWith("GET ", route, StringComparison.Ordinal));
        await using var run = harness.NewRun();
        foreach (var ((kind, records, parameters), preview) in operations.Zip(previews))
        {
            harness.Sandbox.Stats.Reset();
            var real = await run.WriteAsync(kind, records, parameters);
            Assert.Equal((real.Written, real.Skipped, real.Kinds), (preview.Written, preview.Skipped, preview.Kinds));
            Assert.Equal(Rejects(real, records), Rejects(preview, records));
            Assert.Equal(harness.Sandbox.Stats.Total, preview.PreviewRequests);
        }

        return previews;
    }

    /// <summary>
    /// Previews the records in a dry run, checks that it sent only GET requests and changed nothing, then writes them
    /// for real and checks that the preview predicted it: the same counts and kinds, the same records rejected with the
    /// same reasons and codes, one preview per record, and as many requests as the real write sent.
    /// </summary>
    private static async Task<(SinkOutcome Preview, SinkOutcome Real)> PreviewThenWriteAsync(
        SandboxHarness harness, ActivityKind kind, List<Record> records, Dictionary<string, object?>? parameters = null, int batchSize = 500, Action<EtlRunner.Sandbox.SandboxStats>? check = null)
    {
        var before = State(harness);
        harness.Sandbox.Stats.Reset();
        var preview = await harness.WriteAsync(kind, records, parameters, batchSize: batchSize, preview: true);
        Assert.All(harness.Sandbox.Stats.Snapshot().Keys, route => Assert.StartsWith("GET ", route, StringComparison.Ordinal));
        check?.Invoke(harness.Sandbox.Stats);
        Assert.Equal(before, State(harness));

        harness.Sandbox.Stats.Reset();
        var real = await harness.WriteAsync(kind, records, parameters, batchSize: batchSize);

        Assert.Equal(records.Count, preview.Previews.Count);
        Assert.Equal(records, preview.Previews.Select(p => p.Record));
        Assert.Equal((real.Written, real.Skipped, real.Rejected.Count, real.StopReason), (preview.Written, preview.Skipped, preview.Rejected.Count, preview.StopReason));
        Assert.Equal(Rejects(real, records), Rejects(preview, records));
        Assert.Equal(RejectedIndexes(preview, records).Select(r => r.Index), preview.Previews.Select((p, i) => (p, i)).Where(x => x.p.Action == RecordAction.Reject).Select(x => x.i));
        var kinds = preview.Kinds!.Value;
        Assert.Equal(
            (kinds.Created, kinds.Updated, kinds.Deleted, preview.Skipped, preview.Rejected.Count),
            (Count(preview, RecordAction.Create), Count(preview, RecordAction.Update), Count(preview, RecordAction.Delete), Count(preview, RecordAction.Skip), Count(preview, RecordAction.Reject)));
        if (real.Kinds is { } done)
        {
            Assert.Equal(done, kinds);
        }

        Assert.Equal(harness.Sandbox.Stats.Total, preview.PreviewRequests);
        return (preview, real);
    }

    private static int Count(SinkOutcome outcome, RecordAction action) => outcome.Previews.Count(p => p.Action == action);

    /// <summary>The rejects by record index, one line each: "index code: reason".</summary>
    private static string Rejects(SinkOutcome outcome, List<Record> records) =>
        string.Join('\n', RejectedIndexes(outcome, records).Select(r => $"{r.Index} {r.Code}: {r.Reason}"));

    private static List<(int Index, string Reason, string? Code)> RejectedIndexes(SinkOutcome outcome, List<Record> records) =>
        [.. outcome.Rejected.Select(r => (Index: records.FindIndex(x => ReferenceEquals(x, r.Record)), r.Reason, r.Code)).OrderBy(r => r.Index)];

    /// <summary>Everything the sandbox holds that a write could change, as JSON.</summary>
    private static string State(SandboxHarness harness)
    {
        var store = harness.Sandbox.Store;
        return JsonSerializer.Serialize(new { contacts = store.Contacts(includeDeleted: true), lists = store.Lists(includeDeleted: true), fields = store.CustomFields(), activities = store.Activities().Count }, StateJson);
    }

    private static string Text(Record record, string name) => record.GetValueOrDefault(name) as string ?? string.Empty;

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "EtlRunner.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("EtlRunner.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The records the CSV connector reads from the file (a malformed row is the source's reject, not a record).</summary>
    private static async Task<List<Record>> ReadCsvAsync(string path)
    {
        var connector = new EtlRunner.Connectors.Csv.CsvConnector();
        await using var resources = new RunResources();
        var connection = new ConnectionContext("csv", SandboxHarness.WithDefaults(connector.Descriptor.ConnectionParameters, new Dictionary<string, object?> { ["path"] = path }), resources, new MemoryConnectorState());
        var query = connector.Descriptor.FindActivity(ActivityKind.Query)!;
        await using var source = connector.CreateSource(new ActivityContext("read", ActivityKind.Query, SandboxHarness.WithDefaults(query.Parameters, new Dictionary<string, object?>()), connection));
        var records = new List<Record>();
        await foreach (var record in source.ReadAsync(new RecordingContext(), CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }
}
