namespace EtlRunner.Connectors.ConstantContact.Models.Requests;

/// <summary>The filters of <c>GET /contacts</c>, named as the API names them.</summary>
internal sealed record ContactsQuery
{
    public IReadOnlyList<string> Status { get; init; } = [];

    public string? Email { get; init; }

    public IReadOnlyList<string> Lists { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? UpdatedAfter { get; init; }

    public string? UpdatedBefore { get; init; }

    public string? CreatedAfter { get; init; }

    public string? CreatedBefore { get; init; }

    public string? OptoutAfter { get; init; }

    public string? OptoutBefore { get; init; }

    public IReadOnlyList<string> SmsStatus { get; init; } = [];

    /// <summary>One segment's contacts: the API takes no other filter beside it but <c>limit</c>.</summary>
    public string? SegmentId { get; init; }

    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Page size, 1 to 500.</summary>
    public int Limit { get; init; } = 500;

    /// <summary>Ask for <c>contacts_count</c> (the first page only needs it).</summary>
    public bool IncludeCount { get; init; }

    public IEnumerable<KeyValuePair<string, string>> ToParameters()
    {
        if (!string.IsNullOrEmpty(SegmentId))
        {
            yield return new("segment_id", SegmentId);
            yield return new("limit", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            yield break;
        }

        if (Status.Count > 0)
        {
            yield return new("status", string.Join(',', Status));
        }

        if (!string.IsNullOrEmpty(Email))
        {
            yield return new("email", Email);
        }

        if (Lists.Count > 0)
        {
            yield return new("lists", string.Join(',', Lists));
        }

        if (Tags.Count > 0)
        {
            yield return new("tags", string.Join(',', Tags));
        }

        foreach (var (name, value) in new[]
                 {
                     ("updated_after", UpdatedAfter), ("updated_before", UpdatedBefore),
                     ("created_after", CreatedAfter), ("created_before", CreatedBefore),
                     ("optout_after", OptoutAfter), ("optout_before", OptoutBefore),
                 })
        {
            if (!string.IsNullOrEmpty(value))
            {
                yield return new(name, value);
            }
        }

        if (SmsStatus.Count > 0)
        {
            yield return new("sms_status", string.Join(',', SmsStatus));
        }

        if (Include.Count > 0)
        {
            yield return new("include", string.Join(',', Include));
        }

        if (IncludeCount)
        {
            yield return new("include_count", "true");
        }

        yield return new("limit", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
