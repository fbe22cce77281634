using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

public sealed class ContactQuerySourceTests
{
    [Fact]
    public async Task Read_SeveralPages_FollowsNextLinksAndReportsTotal()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(23));
        var context = new RecordingContext();

        // When
        var records = await harness.QueryAsync(Params(("limit", 5L)), context);

        // Then
        Assert.Equal(23, records.Count);
        Assert.Equal(23, records.Select(r => r["contact_id"]).Distinct().Count());
        Assert.Equal(5, harness.Sandbox.Stats.Count("GET /v3/contacts"));
        Assert.Equal((23L, (long?)23), context.Progress.Last());
        Assert.Equal((5L, (long?)23), context.Progress.First());
    }

    [Fact]
    public async Task Read_Contact_IsShapedLikeTheApiResource()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(1, onListA: true));

        // When
        var record = Assert.Single(await harness.QueryAsync(Params(("include", new[] { "list_memberships" }))));

        // Then
        var email = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(record["email_address"]);
        Assert.Equal("person1@example.com", email["address"]);
        Assert.Equal("implicit", email["permission_to_send"]);
        Assert.Equal("First1", record["first_name"]);
        var lists = Assert.IsAssignableFrom<IReadOnlyList<object?>>(record["list_memberships"]);
        Assert.Equal(SeedData.ListA.ToString(), Assert.Single(lists));
        Assert.Equal("contact " + record["contact_id"], record.Origin);
        Assert.True(record.ContainsKey("deleted_at"));
        Assert.Null(record["deleted_at"]);
    }

    [Fact]
    public async Task DescribeRecords_EveryInclude_HasEveryFieldTheQueryReads()
    {
        // Given: contacts with every sub-resource the sandbox (contract-tested against swagger.yaml) returns
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(3, onListA: true));
        var include = ConstantContactParameters.IncludeValues.ToArray();
        var shape = harness.Connector.DescribeRecords(Settings.Empty, SandboxHarness.WithDefaults(ConstantContactParameters.Query.Parameters, Params(("include", include))));

        // When
        var records = await harness.QueryAsync(Params(("include", include)));

        // Then: a field the expressions may read is in the shape, and so is every field of email_address
        Assert.NotNull(shape);
        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            Assert.All(record.Keys, key => Assert.True(shape.TryGetField(key, out _), $"the shape lacks '{key}'"));
            Assert.True(shape.TryGetField("email_address", out var emailAddress));
            var email = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(record["email_address"]);
            Assert.All(email.Keys, key => Assert.True(emailAddress!.TryGetField(key, out _), $"email_address's shape lacks '{key}'"));
        }

        Assert.False(shape.TryGetField("email_addres", out _));
    }

    [Fact]
    public async Task Read_Filters_SendsThemToTheApi()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(4, "a", onListA: true).Contacts(3, "b", onListB: true));

        // When
        var onB = await harness.QueryAsync(Params(("lists", new[] { SeedData.ListB.ToString() }), ("limit", 2L)));
        var one = await harness.QueryAsync(Params(("email", "a2@example.com")));

        // Then
        Assert.Equal(3, onB.Count);
        Assert.All(onB, r => Assert.StartsWith("b", (string)((IReadOnlyDictionary<string, object?>)r["email_address"]!)["address"]!, StringComparison.Ordinal));
        Assert.Equal("First2", Assert.Single(one)["first_name"]);
    }

    [Fact]
    public async Task Read_MaxRecords_StopsEarlyWithSmallerPages()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(30));

        // When
        var records = await harness.QueryAsync(Params(("max_records", 7L)));

        // Then
        Assert.Equal(7, records.Count);
        Assert.Equal(1, harness.Sandbox.Stats.Count("GET /v3/contacts"));
    }

    [Fact]
    public async Task Read_StatusDeleted_ReadsDeletedContacts()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(5));
        await harness.WriteAsync(ActivityKind.Delete, [Of(("email_address", "person2@example.com"))]);

        // When
        var deleted = await harness.QueryAsync(Params(("status", new[] { "deleted" })));
        var active = await harness.QueryAsync();

        // Then
        Assert.NotNull(Assert.Single(deleted)["deleted_at"]);
        Assert.Equal(4, active.Count);
    }

    [Fact]
    public async Task Read_QuotaExceeded_ThrowsClearly()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(10), rateLimit: true, dailyRequestLimit: 2);

        // When
        var error = await Assert.ThrowsAnyAsync<Exception>(() => harness.QueryAsync(Params(("limit", 2L))));

        // Then
        Assert.Contains("daily request quota exhausted (429 quota_exceeded)", error.Message, StringComparison.Ordinal);
        Assert.Contains("00:00 UTC", error.Message, StringComparison.Ordinal);
    }
}
