using System.Globalization;
using EtlRunner.Connectors.ConstantContact.Sinks;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>Checks a constantcontact connection and activity beyond their declared types, reporting every problem at once.</summary>
internal static class ConstantContactValidation
{
    private const int MaxLists = 25;
    private const int MaxTags = 50;
    private const int MaxListIds = 50;

    public static IEnumerable<SettingProblem> Validate(ActivityKind kind, Settings connection, Settings activity)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(activity);
        return [.. ValidateConnection(connection), .. ValidateActivity(kind, activity)];
    }

    private static IEnumerable<SettingProblem> ValidateConnection(Settings connection)
    {
        foreach (var (name, fallback) in new[] { (ConstantContactParameters.BaseUrl, ConstantContactParameters.DefaultBaseUrl), (ConstantContactParameters.TokenUrl, ConstantContactParameters.DefaultTokenUrl) })
        {
            var text = ConstantContactConnectionOptions.Optional(connection, name) ?? fallback;
            if (!ConstantContactConnectionOptions.TryParseUrl(text, out _))
            {
                yield return new SettingProblem(name, $"'{text}' is not an http(s) URL.");
            }
        }

        var refresh = ConstantContactConnectionOptions.Optional(connection, ConstantContactParameters.RefreshToken);
        var secret = ConstantContactConnectionOptions.Optional(connection, ConstantContactParameters.ClientSecret);
        if ((refresh is null) != (secret is null))
        {
            var (set, missing) = refresh is null
                ? (ConstantContactParameters.ClientSecret, ConstantContactParameters.RefreshToken)
                : (ConstantContactParameters.RefreshToken, ConstantContactParameters.ClientSecret);
            yield return new SettingProblem(missing, $"{set} is set but {missing} is not: refreshing the access token needs both (or leave both empty).");
        }

        if (connection.GetDouble(ConstantContactParameters.RequestsPerSecond) is { } rate && (rate <= 0 || double.IsNaN(rate)))
        {
            yield return new SettingProblem(ConstantContactParameters.RequestsPerSecond, "must be more than 0 (Constant Contact allows 4).");
        }
    }

    private static IEnumerable<SettingProblem> ValidateActivity(ActivityKind kind, Settings activity)
    {
        if (kind == ActivityKind.Query)
        {
            foreach (var problem in ValidateQuery(activity))
            {
                yield return problem;
            }

            yield break;
        }

        var bulk = ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.Mode) == ConstantContactParameters.NameOf(SendMode.Bulk);
        var listIds = activity.GetStringList(ConstantContactParameters.ListIds);
        if (bulk && (kind == ActivityKind.Create || kind == ActivityKind.Update) && listIds.Count == 0)
        {
            yield return new SettingProblem(ConstantContactParameters.ListIds, $"mode: bulk {kind.ToName()} imports contacts, and an import needs list_ids: the 1 to 50 list ids every imported contact joins.");
        }

        if (listIds.Count > MaxListIds)
        {
            yield return new SettingProblem(ConstantContactParameters.ListIds, $"at most {MaxListIds} list ids, not {listIds.Count}.");
        }

        if (bulk && kind == ActivityKind.Create && ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.OnConflict) == ConstantContactParameters.NameOf(OnConflict.Skip))
        {
            yield return new SettingProblem(ConstantContactParameters.OnConflict, "a bulk import always updates contacts whose email exists, so on_conflict: skip cannot be honoured; use mode: single, or on_conflict: update.");
        }
    }

    private static IEnumerable<SettingProblem> ValidateQuery(Settings activity)
    {
        var filters = new[]
        {
            ConstantContactParameters.Status, ConstantContactParameters.Email, ConstantContactParameters.Lists, ConstantContactParameters.Tags,
            ConstantContactParameters.UpdatedAfter, ConstantContactParameters.UpdatedBefore, ConstantContactParameters.CreatedAfter,
            ConstantContactParameters.CreatedBefore, ConstantContactParameters.OptoutAfter, ConstantContactParameters.OptoutBefore,
            ConstantContactParameters.SmsStatus, ConstantContactParameters.Include, ConstantContactParameters.SegmentId,
        }.Where(name => activity.GetStringList(name).Count > 0 || ConstantContactConnectionOptions.Optional(activity, name) is not null).ToList();
        var resource = ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.Resource) ?? "contacts";
        if (resource != "contacts" && filters.Count > 0)
        {
            yield return new SettingProblem(filters[0], $"resource: {resource} reads every one of the account's {resource.Replace('_', ' ')}; the contact filters ({string.Join(", ", filters)}) apply to resource: contacts only.");
        }

        if (filters.Contains(ConstantContactParameters.SegmentId) && filters.Count > 1)
        {
            yield return new SettingProblem(ConstantContactParameters.SegmentId, $"segment_id takes no other filter beside it but limit (the API's rule): remove {string.Join(", ", filters.Where(f => f != ConstantContactParameters.SegmentId))}, or filter the segment's records with where:.");
        }

        foreach (var (name, allowed) in new[] { (ConstantContactParameters.Status, ConstantContactParameters.StatusValues), (ConstantContactParameters.Include, ConstantContactParameters.IncludeValues), (ConstantContactParameters.SmsStatus, ConstantContactParameters.SmsStatusValues) })
        {
            var wrong = activity.GetStringList(name).Where(v => !allowed.Contains(v, StringComparer.Ordinal)).ToList();
            if (wrong.Count > 0)
            {
                yield return new SettingProblem(name, $"unknown value{(wrong.Count > 1 ? "s" : string.Empty)} {string.Join(", ", wrong)}; allowed: {string.Join(", ", allowed)}.");
            }
        }

        foreach (var (name, max) in new[] { (ConstantContactParameters.Lists, MaxLists), (ConstantContactParameters.Tags, MaxTags) })
        {
            if (activity.GetStringList(name).Count is var count && count > max)
            {
                yield return new SettingProblem(name, $"at most {max} ids, not {count}.");
            }
        }

        foreach (var name in new[] { ConstantContactParameters.UpdatedAfter, ConstantContactParameters.UpdatedBefore, ConstantContactParameters.CreatedAfter, ConstantContactParameters.CreatedBefore, ConstantContactParameters.OptoutAfter, ConstantContactParameters.OptoutBefore })
        {
            if (ConstantContactConnectionOptions.Optional(activity, name) is { } text
                && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                yield return new SettingProblem(name, $"'{text}' is not an ISO-8601 date-time (e.g. 2025-01-31T00:00:00Z).");
            }
        }
    }
}
