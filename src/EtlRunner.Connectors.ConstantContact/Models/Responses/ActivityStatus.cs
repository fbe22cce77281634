using System.Text.Json.Serialization;

namespace EtlRunner.Connectors.ConstantContact.Models.Responses;

/// <summary>A bulk activity (<c>ActivityImport</c>, <c>ActivityDeleteStatus</c>): its state, progress and error messages.</summary>
internal sealed record ActivityStatus(
    string ActivityId,
    string State,
    int? PercentDone,
    IReadOnlyList<string>? ActivityErrors,
    ActivityCounts? Status)
{
    /// <summary>completed, failed, cancelled or timed_out: polling can stop.</summary>
    [JsonIgnore]
    public bool IsFinished => State is "completed" or "failed" or "cancelled" or "timed_out";

    [JsonIgnore]
    public bool IsCompleted => State == "completed";

    [JsonIgnore]
    public IReadOnlyList<string> Errors => ActivityErrors ?? [];
}

/// <summary>The <c>status</c> counters of an activity (import and delete use different subsets).</summary>
internal sealed record ActivityCounts(
    int? ItemsTotalCount,
    int? ItemsCompletedCount,
    int? PersonCount,
    int? ErrorCount,
    int? CorrectableCount,
    int? CannotAddToListCount);
