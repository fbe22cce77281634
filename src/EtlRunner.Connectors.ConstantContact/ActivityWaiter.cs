using System.Globalization;
using System.Text.RegularExpressions;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// Waits for a bulk activity to finish (GET /activities/{id}, every second at first, then less often, each poll
/// paced like any request) and ties its error messages back to the records they name.
/// </summary>
internal sealed partial class ActivityWaiter(ActivitiesClient activities, ConstantContactTuning tuning, TimeProvider time, TimeSpan deadline)
{
    /// <summary>
    /// A dry run's estimate of the polls of one activity: one, the first poll a second after it was accepted, which is
    /// all an activity of a few hundred contacts usually takes. A longer one polls more (about every 15 s at most).
    /// </summary>
    public const int EstimatedPolls = 1;

    /// <summary>
    /// Polls until the activity is in a final state. A state the connector does not know counts as not finished.
    /// </summary>
    /// <exception cref="ActivityTimeoutException">It did not finish within <c>activity_timeout</c>.</exception>
    public async Task<ActivityStatus> WaitAsync(ActivityStatus activity, string kind, RequestOptions options, CancellationToken cancellationToken)
    {
        var interval = tuning.PollInitialInterval;
        var started = time.GetTimestamp();
        while (!activity.IsFinished)
        {
            var left = deadline - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                options.ReportWaiting?.Invoke(null);
                throw new ActivityTimeoutException(kind, activity, deadline);
            }

            interval = interval < left ? interval : left;
            options.ReportWaiting?.Invoke(string.Create(
                CultureInfo.InvariantCulture,
                $"waiting for Constant Contact {kind} activity {activity.ActivityId}: {activity.State}, {activity.PercentDone ?? 0}% done"));
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            activity = await activities.GetAsync(activity.ActivityId, options, cancellationToken).ConfigureAwait(false);
            interval = TimeSpan.FromTicks(Math.Min(tuning.PollMaxInterval.Ticks, (long)(interval.Ticks * 1.5)));
        }

        options.ReportWaiting?.Invoke(null);
        return activity;
    }

    /// <summary>
    /// Groups the activity's error messages by the position (0-based) of the item they concern: "Row 3 (...)" names
    /// the third item; otherwise an email address or contact id the message contains. Unattributed messages come back
    /// under -1.
    /// </summary>
    public static Dictionary<int, List<string>> AttributeErrors(IReadOnlyList<string> errors, IReadOnlyList<string?> keys)
    {
        var byKey = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = keys.Count - 1; i >= 0; i--)
        {
            if (keys[i] is { } key)
            {
                byKey[key] = i;
            }
        }

        var result = new Dictionary<int, List<string>>();
        foreach (var error in errors)
        {
            var index = -1;
            if (RowNumber().Match(error) is { Success: true } row
                && int.TryParse(row.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                && number >= 1 && number <= keys.Count)
            {
                index = number - 1;
            }
            else
            {
                foreach (Match token in Token().Matches(error))
                {
                    if (byKey.TryGetValue(token.Value.Trim('.', ',', ';', ':', '\'', '"', '(', ')', '<', '>'), out var found))
                    {
                        index = found;
                        break;
                    }
                }
            }

            if (!result.TryGetValue(index, out var list))
            {
                result[index] = list = [];
            }

            list.Add(error);
        }

        return result;
    }

    [GeneratedRegex(@"^\s*(?:row|line|item|record)\s*#?\s*(\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RowNumber();

    [GeneratedRegex(@"[^\s,;()<>""']+", RegexOptions.CultureInvariant)]
    private static partial Regex Token();
}
