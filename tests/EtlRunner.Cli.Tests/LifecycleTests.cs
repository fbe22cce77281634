using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>The contact lifecycle against --sandbox, end to end: lists and tags by name, a custom field by label, unsubscribes and a segment.</summary>
public sealed partial class LifecycleTests : IDisposable
{
    private const string Pipeline = """
        project: lifecycle
        variables:
          cc_api_key: { secret: true }
          cc_access_token: { secret: true }
        connections:
          - { name: People, type: csv, path: people.csv }
          - { name: Segment, type: csv, path: out/segment.csv }
          - { name: Constant Contact, type: constantcontact, api_key: "[cc_api_key]", access_token: "[cc_access_token]" }
        operations:
          - name: Import
            source: { connection: People, activity: query }
            transform: { map: { email: "{{ record.email }}", first_name: "{{ record.first_name }}" } }
            target: { connection: Constant Contact, activity: create, mode: bulk, list_ids: [Newsletter] }
            on_success: Join
          - name: Join
            source: { connection: People, activity: query }
            transform: { map: { email: "{{ record.email }}" } }
            target: { connection: Constant Contact, activity: add_to_lists, lists: [Customers], create_missing: true }
            on_success: Leave
          - name: Leave
            source: { connection: People, activity: query }
            transform: { where: "(record.n | string.to_int) <= 10", map: { email: "{{ record.email }}" } }
            target: { connection: Constant Contact, activity: remove_from_lists, lists: [customers] }
            on_success: Tag
          - name: Tag
            source: { connection: People, activity: query }
            transform: { where: "(record.n | string.to_int) <= 20", map: { email: "{{ record.email }}" } }
            target: { connection: Constant Contact, activity: add_tags, tags: [VIP], create_missing: true }
            on_success: Untag
          - name: Untag
            source: { connection: People, activity: query }
            transform: { where: "(record.n | string.to_int) <= 5", map: { email: "{{ record.email }}" } }
            target: { connection: Constant Contact, activity: remove_tags, tags: [VIP] }
            on_success: Signup source
          - name: Signup source
            source: { connection: People, activity: query }
            transform: { where: record.n == "1", map: { email: "{{ record.email }}", custom_fields: '{{ { "Signup Source": "web" } }}' } }
            target: { connection: Constant Contact, activity: update }
            on_success: Unsubscribe
          - name: Unsubscribe
            source: { connection: People, activity: query }
            transform: { where: "(record.n | string.to_int) <= 3", map: { email: "{{ record.email }}", opt_out_reason: asked } }
            target: { connection: Constant Contact, activity: unsubscribe }
            on_success: Create again
          - name: Create again
            source: { connection: People, activity: query }
            transform: { where: "(record.n | string.to_int) <= 3", map: { email_address: "{{ record.email }}", first_name: Again } }
            target: { connection: Constant Contact, activity: create, on_conflict: skip }
            on_success: Read segment
          - name: Read segment
            source: { connection: Constant Contact, activity: query, segment_id: "3", limit: 50 }
            transform: { map: { email: "{{ record.email_address.address }}", permission: "{{ record.email_address.permission_to_send }}" } }
            target: { connection: Segment, activity: create }
        """;

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Run_ContactLifecycleWithSandbox_EachStepCostsWhatItsBatchesImply()
    {
        _folder.Write("people.csv", "n,email,first_name\n" + string.Concat(Enumerable.Range(1, 100).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},p{i}@example.com,P{i}\n"))));
        var file = _folder.Write("lifecycle.yaml", Pipeline);

        var result = await Cli.RunAsync(["run", file, "--sandbox", "--output", "json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var written = json.RootElement.GetProperty("operations").EnumerateArray()
            .ToDictionary(o => o.GetProperty("name").GetString()!, o => (o.GetProperty("written").GetInt64(), o.GetProperty("skipped").GetInt64(), o.GetProperty("rejected").GetInt64()));
        Assert.Equal((100, 0, 0), written["Import"]);
        Assert.Equal((100, 0, 0), written["Join"]);
        Assert.Equal((10, 0, 0), written["Leave"]);
        Assert.Equal((20, 0, 0), written["Tag"]);
        Assert.Equal((5, 0, 0), written["Untag"]);
        Assert.Equal((1, 0, 0), written["Signup source"]);
        Assert.Equal((3, 0, 0), written["Unsubscribe"]);
        Assert.Equal((0, 3, 0), written["Create again"]); // unsubscribed contacts are not revived
        var segment = File.ReadAllLines(Path.Combine(_folder.Path, "out", "segment.csv"));
        Assert.Equal(["p1@example.com,unsubscribed", "p2@example.com,unsubscribed", "p3@example.com,unsubscribed"], segment.Where(l => l.StartsWith('p')).Order(StringComparer.Ordinal));

        var requests = Requests(result.Error);
        Assert.Equal(1, requests["POST /v3/activities/contacts_json_import"]);
        Assert.Equal(1, requests["GET /v3/contact_lists"]);                  // read once per run, for every step
        Assert.Equal(1, requests["POST /v3/contact_lists"]);                 // Customers, created once
        Assert.Equal(1, requests["POST /v3/activities/add_list_memberships"]);
        Assert.Equal(1, requests["POST /v3/activities/remove_list_memberships"]);
        Assert.Equal((1, 1), (requests["GET /v3/contact_tags"], requests["POST /v3/contact_tags"]));
        Assert.Equal((1, 1), (requests["POST /v3/activities/contacts_taggings_add"], requests["POST /v3/activities/contacts_taggings_remove"]));
        Assert.Equal(1, requests["GET /v3/contact_custom_fields"]);
        Assert.Equal(1 + 3, requests["PUT /v3/contacts/{contact_id}"]);     // the custom field, then one per unsubscribe
    }

    private static Dictionary<string, int> Requests(string stderr) =>
        RouteLine().Matches(stderr).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^((?:GET|POST|PUT|DELETE) \S+)\s+(\d+)\s", RegexOptions.Multiline)]
    private static partial Regex RouteLine();

    public void Dispose() => _folder.Dispose();
}
