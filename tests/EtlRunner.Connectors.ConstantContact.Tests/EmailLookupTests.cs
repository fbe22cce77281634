using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

/// <summary>
/// A lookup by email matches the address exactly (trimmed, case-insensitive) or finds nothing, whatever the search
/// answers: an API (or a proxy, or a mock) that returns someone else must never get that person's contact changed.
/// </summary>
public sealed class EmailLookupTests
{
    private const string OtherId = "5b1f0000-0000-4000-8000-000000000002";

    [Fact]
    public async Task Update_SearchAnswersAnotherContact_RejectsWithoutWriting()
    {
        // Given: the search for ana@ answers with bo@'s contact
        await using var api = await ScriptedApi.StartAsync(_ => (200, ScriptedApi.Page((OtherId, "bo@example.com", "active"))));
        await using var harness = await HarnessFor(api);

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Update, [Of(("email_address", "ana@example.com"), ("job_title", "Captain"))]);

        // Then
        var rejected = Assert.Single(outcome.Rejected);
        Assert.Equal("not_found", rejected.Code);
        Assert.Contains("ana@example.com", rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Requests, r => r.StartsWith("PUT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_SearchAnswersAnotherContact_RejectsWithoutDeleting()
    {
        // Given
        await using var api = await ScriptedApi.StartAsync(_ => (200, ScriptedApi.Page((OtherId, "bo@example.com", "active"))));
        await using var harness = await HarnessFor(api);

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Delete, [Of(("email_address", "ana@example.com"))]);

        // Then
        Assert.Equal("not_found", Assert.Single(outcome.Rejected).Code);
        Assert.DoesNotContain(api.Requests, r => r.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_TwoLiveContactsHaveTheEmail_RejectsAsAmbiguous()
    {
        // Given
        await using var api = await ScriptedApi.StartAsync(_ => (200, ScriptedApi.Page(
            ("5b1f0000-0000-4000-8000-000000000001", "Ana@Example.com", "active"),
            (OtherId, " ana@example.com", "active"))));
        await using var harness = await HarnessFor(api);

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Update, [Of(("email_address", "ana@example.com"), ("job_title", "Captain"))]);

        // Then
        var rejected = Assert.Single(outcome.Rejected);
        Assert.Equal("ambiguous", rejected.Code);
        Assert.Contains(OtherId, rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Requests, r => r.StartsWith("PUT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_ExactAddressDiffersOnlyInCaseAndSpaces_UpdatesThatContact()
    {
        // Given: a deleted and a live contact with the address; the live one is the match
        const string LiveId = "5b1f0000-0000-4000-8000-000000000001";
        await using var api = await ScriptedApi.StartAsync(request => request.Method == "GET"
            ? (200, ScriptedApi.Page((OtherId, "ana@example.com", "deleted"), (LiveId, " ANA@example.com ", "active")))
            : (200, ScriptedApi.Contact(LiveId, "ana@example.com")));
        await using var harness = await HarnessFor(api);

        // When
        await harness.WriteAsync(ActivityKind.Update, [Of(("email_address", "ana@example.com"), ("job_title", "Captain"))]);

        // Then
        Assert.Contains(api.Requests, r => r == $"PUT /v3/contacts/{LiveId}");
        Assert.DoesNotContain(api.Requests, r => r.Contains(OtherId, StringComparison.Ordinal) && r.StartsWith("PUT", StringComparison.Ordinal));
    }

    private static async Task<SandboxHarness> HarnessFor(ScriptedApi api)
    {
        var harness = await SandboxHarness.StartAsync();
        harness.Connection["base_url"] = api.BaseUrl.ToString();
        harness.Connection["max_retries"] = 0L;
        return harness;
    }
}
