using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;
using Microsoft.AspNetCore.Http;

namespace EtlRunner.Sandbox.Activities;

/// <summary>
/// GET /activities, GET /activities/{activity_id}, POST contacts_json_import, contact_delete, add/remove_list_memberships
/// and contacts_taggings_add/remove.
/// </summary>
internal sealed class ActivitiesEndpoints(SandboxState state, ActivityEngine engine)
{
    public const int ImportMaxContacts = 40_000;
    public const int ImportMaxBytes = 4 * 1024 * 1024;

    /// <summary>Contact ids per bulk membership or tagging request (the swagger's maxItems: 0 on remove is a quirk; its text says 500).</summary>
    public const int BulkMaxContacts = 500;

    /// <summary>List or tag ids per bulk membership or tagging request.</summary>
    public const int BulkMaxTargets = 50;
    private static readonly string[] States = ["processing", "completed", "cancelled", "failed", "timed_out"];

    public void Map(ApiRouteMap map)
    {
        map.Add(ApiRoutes.GetActivities, List);
        map.Add(ApiRoutes.GetActivity, Get);
        map.Add(ApiRoutes.JsonImport, ImportAsync);
        map.Add(ApiRoutes.ContactDelete, DeleteAsync);
        map.Add(ApiRoutes.AddListMemberships, c => MembershipAsync(c, ActivityRecord.AddListMemberships));
        map.Add(ApiRoutes.RemoveListMemberships, c => MembershipAsync(c, ActivityRecord.RemoveListMemberships));
        map.Add(ApiRoutes.AddTaggings, c => MembershipAsync(c, ActivityRecord.AddTaggings));
        map.Add(ApiRoutes.RemoveTaggings, c => MembershipAsync(c, ActivityRecord.RemoveTaggings));
    }

    public static ApiResponse QueueFull() => ApiResponse.Error(StatusCodes.Status429TooManyRequests, ApiErrors.QueueFull,
        "Too many requests. You exceeded 1,000 queued activities for this user account.");

    private ApiResponse List(HttpContext context)
    {
        var (q, after, error) = Paging.Read(ApiRoutes.GetActivities, context);
        if (error is not null)
        {
            return error;
        }

        var limit = q.Int("limit", 1, 500, 50);
        var wanted = q.Enum("state", States);
        if (q.Errors.Count > 0)
        {
            return ApiResponse.Validation(q.Errors);
        }

        return state.Read(() =>
        {
            var now = state.PreciseNow;
            var recent = state.Activities.Reverse()
                .Where(a => a.CreatedAt > now.AddDays(-10) && (wanted is null || a.StateAt(now) == wanted));
            var (items, next) = Paging.Take(recent, a => a.Sequence, after, limit, descending: true);
            var body = new JsonObject { ["activities"] = items.ToJsonArray(a => ActivityRenderer.Render(a, now, ActivityView.Generic)) };
            if (next is { } n)
            {
                body["_links"] = JsonBuilder.NextLinks(Paging.NextHref("/v3/activities", q.Raw, n));
            }

            return ApiResponse.Ok(body);
        });
    }

    private ApiResponse Get(HttpContext context)
    {
        if (!Ids.TryParse(context.Request.RouteValues["activity_id"] as string, out var id))
        {
            return ApiResponse.NotFound("activity_id is in an invalid format.");
        }

        return state.Read(() => state.Activity(id) is { } a
            ? ApiResponse.Ok(ActivityRenderer.Render(a, state.PreciseNow, ActivityView.Generic))
            : ApiResponse.NotFound($"Activity {id} was not found."));
    }

    private async Task<ApiResponse> ImportAsync(HttpContext context)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(context, ImportMaxBytes,
            "The request body exceeds the 4 MB limit of contacts_json_import.");
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        var r = new FieldReader(body!, "", errors);
        var rows = r.Array("import_data", ImportMaxContacts, minItems: 1, required: true);
        var lists = r.Uuids("list_ids", 50, minItems: 1, required: true);
        var sms = r.Enum("sms_permission_to_send", ["explicit", "not_set"]);
        if (errors.Count > 0)
        {
            return ApiResponse.Validation(errors);
        }

        return state.Write(() =>
        {
            errors.AddRange(lists!.Where(id => state.ActiveList(id) is null).Select(id => $"list_ids: list_id {id} does not exist."));
            if (errors.Count > 0)
            {
                return ApiResponse.Validation(errors);
            }

            if (engine.QueueFull)
            {
                return QueueFull();
            }

            var payload = new JsonObject { ["import_data"] = rows!.DeepClone(), ["list_ids"] = lists!.ToJsonArray() }
                .With("sms_permission_to_send", sms);
            var activity = engine.Submit(ActivityRecord.JsonImport, payload.ToJsonString(), rows!.Count);
            return ApiResponse.Json(StatusCodes.Status201Created, ActivityRenderer.Render(activity, activity.CreatedAt, ActivityView.Import));
        });
    }

    private async Task<ApiResponse> DeleteAsync(HttpContext context)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(context);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        var r = new FieldReader(body!, "", errors);
        var contactIds = r.Uuids("contact_ids", 500, minItems: 1);
        var listIds = r.Uuids("list_ids", 50, minItems: 1);
        if (errors.Count == 0 && (contactIds is null) == (listIds is null))
        {
            errors.Add("Specify either contact_ids or list_ids (they are mutually exclusive).");
        }

        if (errors.Count > 0)
        {
            return ApiResponse.Validation(errors);
        }

        return state.Write(() =>
        {
            if (engine.QueueFull)
            {
                return QueueFull();
            }

            var payload = contactIds is not null
                ? new JsonObject { ["contact_ids"] = contactIds.ToJsonArray() }
                : new JsonObject { ["list_ids"] = listIds!.ToJsonArray() };
            var total = contactIds?.Count ?? state.Contacts.Count(c => c.Lists.Any(listIds!.Contains));
            var activity = engine.Submit(ActivityRecord.ContactDelete, payload.ToJsonString(), total, listIds?.Count ?? 0);
            return ApiResponse.Json(StatusCodes.Status201Created, ActivityRenderer.Render(activity, activity.CreatedAt, ActivityView.Delete));
        });
    }
    /// <summary>
    /// A bulk list membership or tagging request: the targets (top-level list_ids or tag_ids) and exactly one source of
    /// contacts, which the sandbox supports as contact_ids, list_ids or all_active_contacts (and tag_ids for tagging).
    /// </summary>
    private async Task<ApiResponse> MembershipAsync(HttpContext context, string kind)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(context);
        if (error is not null)
        {
            return error;
        }

        var ofLists = kind is ActivityRecord.AddListMemberships or ActivityRecord.RemoveListMemberships;
        var targetKey = ofLists ? "list_ids" : "tag_ids";
        var errors = new List<string>();
        var r = new FieldReader(body!, "", errors);
        var targets = r.Uuids(targetKey, BulkMaxTargets, minItems: 1, required: true);
        var source = r.ChildReader("source", required: true);
        var supported = ofLists ? new[] { "contact_ids", "list_ids", "all_active_contacts" } : ["contact_ids", "list_ids", "tag_ids", "all_active_contacts"];
        var contactIds = source?.Uuids("contact_ids", BulkMaxContacts, minItems: 1);
        var sourceLists = source?.Uuids("list_ids", BulkMaxTargets, minItems: 1);
        var sourceTags = ofLists ? null : source?.Uuids("tag_ids", BulkMaxTargets, minItems: 1);
        var allActive = source?.Bool("all_active_contacts") == true;
        if (source is not null && errors.Count == 0)
        {
            var given = supported.Where(source.Has).Where(k => k != "all_active_contacts" || allActive).ToList();
            var unsupported = body!["source"]!.AsObject().Select(p => p.Key).Except(supported).ToList();
            if (unsupported.Count > 0)
            {
                errors.Add($"source.{unsupported[0]} is not supported by the sandbox; use one of {string.Join(", ", supported)}.");
            }
            else if (given.Count != 1)
            {
                errors.Add($"source needs exactly one of {string.Join(", ", supported)} (they are mutually exclusive).");
            }
        }

        if (errors.Count > 0)
        {
            return ApiResponse.Validation(errors);
        }

        return state.Write(() =>
        {
            errors.AddRange(targets!.Where(id => ofLists ? state.ActiveList(id) is null : state.Tag(id) is null)
                .Select(id => $"{targetKey}: {(ofLists ? "list_id" : "tag_id")} {id} does not exist."));
            if (errors.Count > 0)
            {
                return ApiResponse.Validation(errors);
            }

            if (engine.QueueFull)
            {
                return QueueFull();
            }

            var chosen = contactIds ?? [.. state.Contacts.Where(c => !c.IsDeleted && (allActive
                || (sourceLists is not null && c.Lists.Any(sourceLists.Contains))
                || (sourceTags is not null && c.Tags.Any(sourceTags.Contains)))).Select(c => c.Id)];
            var payload = new JsonObject { ["targets"] = targets!.ToJsonArray(), ["contact_ids"] = chosen.ToJsonArray() };
            var activity = engine.Submit(kind, payload.ToJsonString(), chosen.Count, ofLists ? targets!.Count : 0);
            return ApiResponse.Json(StatusCodes.Status201Created,
                ActivityRenderer.Render(activity, activity.CreatedAt, ofLists ? ActivityView.Membership : ActivityView.Tagging));
        });
    }
}
