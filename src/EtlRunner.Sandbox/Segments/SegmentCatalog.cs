using System.Globalization;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Segments;

/// <summary>A seeded segment: its membership is a fixed rule over the contacts, not stored criteria.</summary>
internal sealed record Segment(int Id, string Name, string Criteria, Func<ContactRecord, bool> Contains);

/// <summary>
/// The sandbox's segments (fixed, the same in every sandbox). Like the real API, the first contacts search by a
/// segment after the sandbox starts answers 202 "processing"; later ones answer the members.
/// </summary>
internal sealed class SegmentCatalog
{
    /// <summary>When the seeded segments were created and last edited.</summary>
    public static readonly DateTimeOffset SeededAt = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    private readonly HashSet<int> _warm = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<Segment> All { get; } =
    [
        new(1, "Subscribed to email", Criteria("email_permission", "in", "explicit,implicit"),
            c => c.Email?.PermissionToSend is "explicit" or "implicit"),
        new(2, "Has a company name", Criteria("company_name", "is-not-empty", ""),
            c => !string.IsNullOrWhiteSpace(c.CompanyName)),
        new(3, "Unsubscribed from email", Criteria("email_permission", "in", "unsubscribed"),
            c => c.Email?.PermissionToSend == "unsubscribed"),
    ];

    public Segment? Find(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? All.FirstOrDefault(s => s.Id == id) : null;

    /// <summary>True the first time a segment is asked for (the search is then still processing), false afterwards.</summary>
    public bool StartProcessing(Segment segment)
    {
        lock (_gate)
        {
            return _warm.Add(segment.Id);
        }
    }

    private static string Criteria(string field, string op, string value) =>
        $$$"""{"version":"1.0.0","criteria":{"type":"and","group":[{"source":"contact","field":"{{{field}}}","op":"{{{op}}}","const_value":"{{{value}}}"}]}}""";
}
