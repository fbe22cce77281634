using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Activities;

/// <summary>Which response definition an activity is rendered as.</summary>
internal enum ActivityView
{
    /// <summary>Activity (GET /activities/{id}, GET /activities).</summary>
    Generic,

    /// <summary>ActivityImport (POST contacts_json_import).</summary>
    Import,

    /// <summary>ActivityDeleteStatus (POST contact_delete).</summary>
    Delete,

    /// <summary>ActivityDeleteListResponse (DELETE /contact_lists/{id}).</summary>
    ListDelete,

    /// <summary>ActivityListsMembership (POST add_list_memberships / remove_list_memberships).</summary>
    Membership,

    /// <summary>ActivityTagging (POST contacts_taggings_add / contacts_taggings_remove).</summary>
    Tagging,

    /// <summary>ActivityGeneric (DELETE /contact_tags/{id}).</summary>
    TagDelete,
}

internal static class ActivityRenderer
{
    public static string Href(ActivityRecord a) => $"/v3/activities/{Ids.Format(a.Id)}";

    public static JsonObject Render(ActivityRecord a, DateTimeOffset now, ActivityView view)
    {
        var state = a.StateAt(now);
        var started = state == "initialized" ? (DateTimeOffset?)null : a.StartAt;
        var updated = a.CompletedAt ?? started ?? a.CreatedAt;
        var percent = a.PercentDoneAt(now);
        var obj = new JsonObject { ["activity_id"] = Ids.Format(a.Id), ["state"] = state };
        if (view is not (ActivityView.ListDelete or ActivityView.TagDelete))
        {
            obj.With("started_at", started).With("completed_at", a.CompletedAt);
        }

        obj.With("created_at", a.CreatedAt).With("updated_at", updated);
        obj["percent_done"] = percent;
        obj["activity_errors"] = a.Errors.ToJsonArray(e => (JsonNode)e);
        if (view != ActivityView.ListDelete)
        {
            obj["status"] = Status(a, view, percent);
        }

        obj["_links"] = JsonBuilder.SelfLinks(Href(a));
        return obj;
    }

    private static JsonObject Status(ActivityRecord a, ActivityView view, int percent)
    {
        var completed = a.IsCompleted ? a.ItemsCompleted : a.ItemsTotal * percent / 100;
        var isImport = a.Kind == ActivityRecord.JsonImport;
        var status = new JsonObject { ["items_total_count"] = a.ItemsTotal };
        if (view != ActivityView.Import)
        {
            status["items_completed_count"] = completed;
        }

        if (isImport && view != ActivityView.Delete)
        {
            status["person_count"] = a.PersonCount;
            status["error_count"] = a.ErrorCount;
            status["correctable_count"] = a.CorrectableCount;
            status["cannot_add_to_list_count"] = a.CannotAddToListCount;
        }

        if (!isImport && a.ListCount > 0 && view != ActivityView.Import)
        {
            status["list_count"] = a.ListCount;
        }

        return status;
    }
}
