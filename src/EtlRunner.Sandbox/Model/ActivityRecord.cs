using System.Text.Json.Serialization;

namespace EtlRunner.Sandbox.Model;

/// <summary>A bulk activity. Its data changes are applied once, when it completes.</summary>
internal sealed class ActivityRecord
{
    public const string JsonImport = "contacts_json_import";
    public const string ContactDelete = "contact_delete";
    public const string ListDelete = "list_delete";
    public const string AddListMemberships = "add_list_memberships";
    public const string RemoveListMemberships = "remove_list_memberships";
    public const string AddTaggings = "contacts_taggings_add";
    public const string RemoveTaggings = "contacts_taggings_remove";
    public const string TagDelete = "tag_delete";

    public Guid Id { get; set; }

    public long Sequence { get; set; }

    public string Kind { get; set; } = JsonImport;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset StartAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The request data the activity works on, as JSON.</summary>
    public string Payload { get; set; } = "{}";

    public List<string> Errors { get; set; } = [];

    public int ItemsTotal { get; set; }

    public int ItemsCompleted { get; set; }

    public int PersonCount { get; set; }

    public int ErrorCount { get; set; }

    public int CorrectableCount { get; set; }

    public int CannotAddToListCount { get; set; }

    public int ListCount { get; set; }

    [JsonIgnore]
    public bool IsCompleted => CompletedAt is not null;

    public string StateAt(DateTimeOffset now) =>
        IsCompleted ? "completed" : now >= StartAt ? "processing" : "initialized";

    public int PercentDoneAt(DateTimeOffset now)
    {
        if (IsCompleted)
        {
            return 100;
        }

        if (now < StartAt)
        {
            return 0;
        }

        var span = (DueAt - CreatedAt).TotalMilliseconds;
        var done = span <= 0 ? 99 : (now - CreatedAt).TotalMilliseconds / span * 100;
        return (int)Math.Clamp(done, 1, 99);
    }
}
