using System.Globalization;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Exceptions;

/// <summary>A bulk activity did not reach a final state within <c>activity_timeout</c>: the operation stops.</summary>
internal sealed class ActivityTimeoutException(string kind, ActivityStatus activity, TimeSpan deadline)
    : ConstantContactException(string.Create(
        CultureInfo.InvariantCulture,
        $"the Constant Contact {kind} activity {activity.ActivityId} did not finish within activity_timeout ({deadline}); its last state was '{activity.State}' ({activity.PercentDone ?? 0}% done). It may still finish in Constant Contact: check GET /activities/{activity.ActivityId} before sending these records again, or raise activity_timeout"))
{
    public string ActivityId { get; } = activity.ActivityId;
}
