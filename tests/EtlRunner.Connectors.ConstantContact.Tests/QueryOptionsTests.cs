using System.Text.Json.Nodes;
using EtlRunner.Connectors.ConstantContact.Tests.Support;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

public sealed class QueryOptionsTests
{
    [Fact]
    public async Task Query_SegmentId_AsksAgainAfterThe202_AndReadsTheSegmentsMembers()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(3)
            .Contact(new JsonObject { ["email_address"] = new JsonObject { ["address"] = "co@example.com" }, ["company_name"] = "Acme" }));
        var context = new RecordingContext();

        var records = await harness.QueryAsync(Params(("segment_id", "2"), ("limit", 50L)), context);

        Assert.Equal("Acme", Assert.Single(records)["company_name"]);
        Assert.Equal(2, harness.Sandbox.Stats.Count("GET /v3/contacts")); // 202 processing, then 200
        Assert.Contains(context.Waits, w => w == "waiting for Constant Contact to work out segment 2");
    }

    [Fact]
    public async Task Query_OptoutAfterWithUnsubscribedStatus_ReadsOnlyTheUnsubscribed_WithTheirSmsChannel()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(3));
        await harness.WriteAsync(ConstantContactParameters.Unsubscribe.Kind, [Of(("email", "person2@example.com"))]);

        var records = await harness.QueryAsync(Params(("status", new[] { "unsubscribed" }), ("optout_after", "2000-01-01T00:00:00Z"), ("include", new[] { "sms_channel" })));

        var record = Assert.Single(records);
        Assert.Equal("person2@example.com", ((IReadOnlyDictionary<string, object?>)record["email_address"]!)["address"]);
        Assert.True(record.ContainsKey("sms_channel"));
    }

    [Fact]
    public async Task Query_ResourceLists_ReadsTheListsWithMembershipCounts()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(4, onListA: true));

        var records = await harness.QueryAsync(Params(("resource", "lists")));

        Assert.Equal([("List A", 4L), ("List B", 0L)], records.Select(r => ((string)r["name"]!, Convert.ToInt64(r["membership_count"], System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(1, harness.Sandbox.Stats.Count("GET /v3/contact_lists"));
    }

    [Theory]
    [InlineData("segment_id=2;status=all", "segment_id")]
    [InlineData("resource=tags;email=a@example.com", "email")]
    [InlineData("sms_status=loud", "sms_status")]
    [InlineData("optout_after=yesterday", "optout_after")]
    public void Validate_QueryOptionsTheApiRefuses_AreReported(string parameters, string setting)
    {
        var activity = SandboxHarness.WithDefaults(ConstantContactParameters.Query.Parameters, parameters.Split(';').Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => p[0] is "status" or "sms_status" ? (object?)new[] { p[1] } : p[1]));
        var connection = SandboxHarness.WithDefaults(ConstantContactParameters.Connection, new Dictionary<string, object?> { ["api_key"] = "k", ["access_token"] = "t" });

        var problems = new ConstantContactConnector().Validate(ActivityKind.Query, connection, activity).ToList();

        Assert.Equal(setting, Assert.Single(problems).Setting);
    }
}
