using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

/// <summary>A bulk activity that never finishes cannot hang a run: activity_timeout fails the operation.</summary>
public sealed class ActivityDeadlineTests
{
    private static readonly string[] ListA = [SeedData.ListA.ToString()];

    [Fact]
    public async Task Create_Bulk_ActivityStuckProcessing_StopsAtActivityTimeoutAndRejectsItsRecords()
    {
        // Given: the sandbox takes an hour to finish an activity
        await using var harness = await SandboxHarness.StartAsync(new SeedData(), activityDuration: TimeSpan.FromHours(1));

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, New(5), Params(("mode", "bulk"), ("list_ids", ListA), ("activity_timeout", "400ms")));

        // Then
        Assert.Equal(0, outcome.Written);
        Assert.Equal(5, outcome.Rejected.Count);
        Assert.All(outcome.Rejected, r => Assert.Equal("activity_timeout", r.Code));
        Assert.NotNull(outcome.StopReason);
        Assert.Contains("did not finish within activity_timeout", outcome.StopReason, StringComparison.Ordinal);
        Assert.Matches("last state was '(initialized|processing)'", outcome.StopReason);
    }

    [Fact]
    public async Task Delete_Bulk_ActivityInAnUnknownState_CountsAsNotFinishedUntilTheDeadline()
    {
        // Given: an API whose activity reports a state the contract does not list
        const string Id = "5b1f0000-0000-4000-8000-000000000001";
        await using var api = await ScriptedApi.StartAsync(request => (request.Method, request.Path.Value) switch
        {
            ("POST", _) => (201, """{"activity_id":"act-1","state":"initialized"}"""),
            ("GET", "/v3/activities/act-1") => (200, """{"activity_id":"act-1","state":"reticulating","percent_done":50}"""),
            _ => (200, ScriptedApi.Page((Id, "ana@example.com", "active"))),
        });
        await using var harness = await SandboxHarness.StartAsync(tuning: SandboxHarness.FastTuning);
        harness.Connection["base_url"] = api.BaseUrl.ToString();

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Delete, [Of(("contact_id", Id))], Params(("mode", "bulk"), ("activity_timeout", "1s")));

        // Then
        Assert.Equal("activity_timeout", Assert.Single(outcome.Rejected).Code);
        Assert.Contains("act-1", outcome.StopReason, StringComparison.Ordinal);
        Assert.Contains("'reticulating'", outcome.StopReason, StringComparison.Ordinal); // seen by a poll, and not taken for finished
    }
}
