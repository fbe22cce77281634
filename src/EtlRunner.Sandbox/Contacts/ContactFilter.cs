using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Contacts;

/// <summary>The search criteria of GET /contacts.</summary>
internal sealed class ContactFilter
{
    private HashSet<string>? _statuses;
    private HashSet<string>? _smsStatuses;
    private HashSet<Guid>? _lists;
    private HashSet<Guid>? _tags;
    private DateTimeOffset? _updatedAfter;
    private DateTimeOffset? _updatedBefore;
    private DateTimeOffset? _createdAfter;
    private DateTimeOffset? _createdBefore;
    private DateTimeOffset? _optoutAfter;
    private DateTimeOffset? _optoutBefore;

    public string? Email { get; private set; }

    public string? SegmentId { get; private set; }

    public static ContactFilter Parse(QueryReader q) => new()
    {
        _statuses = q.Csv("status", ContactRules.Statuses),
        Email = q.String("email")?.Trim(),
        _lists = q.UuidCsv("lists", 25),
        SegmentId = q.String("segment_id"),
        _tags = q.UuidCsv("tags", 50),
        _updatedAfter = q.DateTime("updated_after"),
        _updatedBefore = q.DateTime("updated_before"),
        _createdAfter = q.DateTime("created_after"),
        _createdBefore = q.DateTime("created_before"),
        _optoutAfter = q.DateTime("optout_after"),
        _optoutBefore = q.DateTime("optout_before"),
        _smsStatuses = q.Csv("sms_status", ContactRules.SmsStatuses),
    };

    public bool Matches(ContactRecord c)
    {
        var statusOk = _statuses is null ? !c.IsDeleted : _statuses.Contains("all") || _statuses.Contains(c.Status);
        return statusOk
            && (Email is null || string.Equals(c.Email?.Address, Email, StringComparison.OrdinalIgnoreCase))
            && (_lists is null || c.Lists.Any(_lists.Contains))
            && (_tags is null || c.Tags.Any(_tags.Contains))
            && After(c.UpdatedAt, _updatedAfter) && Before(c.UpdatedAt, _updatedBefore)
            && After(c.CreatedAt, _createdAfter) && Before(c.CreatedAt, _createdBefore)
            && OptOutMatches(c)
            && (_smsStatuses is null || _smsStatuses.Contains("all") || (c.Sms is { } s && _smsStatuses.Contains(s.Permission)));
    }

    private bool OptOutMatches(ContactRecord c)
    {
        if (_optoutAfter is null && _optoutBefore is null)
        {
            return true;
        }

        return c.Email?.OptOutDate is { } d && After(d, _optoutAfter) && Before(d, _optoutBefore);
    }

    // Timestamps are kept to the second. A bound is compared at that precision and *_after is inclusive, so an
    // incremental sync that passes its last high-water mark (or a run's start time) never misses a contact
    // changed within the same second; re-reading the boundary is harmless for an upsert.
    private static bool After(DateTimeOffset value, DateTimeOffset? bound) => bound is not { } b || value >= Truncate(b);

    private static DateTimeOffset Truncate(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);

    private static bool Before(DateTimeOffset value, DateTimeOffset? bound) => bound is not { } b || value < b;
}
