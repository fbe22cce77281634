using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Activities;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;
using Microsoft.AspNetCore.Http;

namespace EtlRunner.Sandbox.Lists;

/// <summary>GET/POST /contact_lists and GET/PUT/DELETE /contact_lists/{list_id}.</summary>
internal sealed class ListsEndpoints(SandboxState state, ActivityEngine engine)
{
    public const int MaxLists = 1000;
    private static readonly string[] MembershipModes = ["all", "active"];

    public void Map(ApiRouteMap map)
    {
        map.Add(ApiRoutes.GetLists, List);
        map.Add(ApiRoutes.GetList, Get);
        map.Add(ApiRoutes.PostList, CreateAsync);
        map.Add(ApiRoutes.PutList, ReplaceAsync);
        map.Add(ApiRoutes.DeleteList, Delete);
    }

    private ApiResponse List(HttpContext context)
    {
        var (q, after, error) = Paging.Read(ApiRoutes.GetLists, context);
        if (error is not null)
        {
            return error;
        }

        var limit = q.Int("limit", 1, 1000, 50);
        var includeCount = q.Bool("include_count");
        var membership = q.Enum("include_membership_count", MembershipModes);
        var name = q.String("name");
        var statuses = q.Csv("status", ["all", "active", "deleted"]) ?? ["active"];
        var channel = q.Enum("channel_type", ["email", "sms"]);
        _ = q.Bool("include_sms_membership_count");
        if (q.Errors.Count > 0)
        {
            return ApiResponse.Validation(q.Errors);
        }

        return state.Read(() =>
        {
            var matching = state.Lists.Where(l => channel != "sms"
                && (statuses.Contains("all") || statuses.Contains(l.IsDeleted ? "deleted" : "active"))
                && (name is null || l.Name == name));
            var (items, next) = Paging.Take(matching, l => l.Sequence, after, limit);
            var body = new JsonObject
            {
                ["lists"] = items.ToJsonArray(l => ListRenderer.Render(l, ListRenderer.MembershipCount(state, l, membership))),
            };
            if (includeCount)
            {
                body["lists_count"] = matching.Count();
            }

            if (next is { } n)
            {
                body["_links"] = JsonBuilder.NextLinks(Paging.NextHref("/v3/contact_lists", q.Raw, n));
            }

            return ApiResponse.Ok(body);
        });
    }

    private ApiResponse Get(HttpContext context)
    {
        if (!TryRouteId(context, out var id, out var error))
        {
            return error!;
        }

        var q = new QueryReader(ApiRoutes.GetList, context.Request.Query.ToDictionary(k => k.Key, k => k.Value.ToString()));
        var membership = q.Enum("include_membership_count", MembershipModes);
        if (q.Errors.Count > 0)
        {
            return ApiResponse.Validation(q.Errors);
        }

        return state.Read(() => state.ActiveList(id) is { } list
            ? ApiResponse.Ok(ListRenderer.Render(list, ListRenderer.MembershipCount(state, list, membership)))
            : NotFound(id));
    }

    private async Task<ApiResponse> CreateAsync(HttpContext context)
    {
        var (input, error) = await ReadInputAsync(context);
        if (error is not null)
        {
            return error;
        }

        return state.Write(() =>
        {
            if (NameTaken(input!.Name, null) is { } conflict)
            {
                return conflict;
            }

            if (state.Lists.Count(l => !l.IsDeleted) >= MaxLists)
            {
                return ApiResponse.Validation($"An account can have at most {MaxLists} lists.");
            }

            var now = state.Now;
            var list = new ListRecord { Id = Guid.NewGuid(), CreatedAt = now, UpdatedAt = now };
            input.ApplyTo(list);
            state.AddList(list);
            return ApiResponse.Json(StatusCodes.Status201Created, ListRenderer.Render(list));
        });
    }

    private async Task<ApiResponse> ReplaceAsync(HttpContext context)
    {
        if (!TryRouteId(context, out var id, out var idError))
        {
            return idError!;
        }

        var (input, error) = await ReadInputAsync(context);
        if (error is not null)
        {
            return error;
        }

        return state.Write(() =>
        {
            if (state.ActiveList(id) is not { } list)
            {
                return NotFound(id);
            }

            if (NameTaken(input!.Name, id) is { } conflict)
            {
                return conflict;
            }

            input.ApplyTo(list);
            list.UpdatedAt = state.Now;
            state.MarkDirty(list);
            return ApiResponse.Ok(ListRenderer.Render(list));
        });
    }

    private ApiResponse Delete(HttpContext context)
    {
        if (!TryRouteId(context, out var id, out var error))
        {
            return error!;
        }

        return state.Write(() =>
        {
            if (state.ActiveList(id) is null)
            {
                return NotFound(id);
            }

            if (engine.QueueFull)
            {
                return ActivitiesEndpoints.QueueFull();
            }

            var payload = new JsonObject { ["list_id"] = Ids.Format(id) }.ToJsonString();
            var activity = engine.Submit(ActivityRecord.ListDelete, payload, 1, 1);
            var body = ActivityRenderer.Render(activity, activity.CreatedAt, ActivityView.ListDelete);
            return new ApiResponse(StatusCodes.Status202Accepted, body, ActivityRenderer.Href(activity));
        });
    }

    private static async Task<(ListInput? Input, ApiResponse? Error)> ReadInputAsync(HttpContext context)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(context);
        if (error is not null)
        {
            return (null, error);
        }

        var errors = new List<string>();
        var input = ListInput.Parse(new FieldReader(body!, "", errors));
        return errors.Count > 0 ? (null, ApiResponse.Validation(errors)) : (input, null);
    }

    private ApiResponse? NameTaken(string name, Guid? self) =>
        state.Lists.FirstOrDefault(l => !l.IsDeleted && l.Id != self && l.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            is { } other
            ? ApiResponse.Conflict($"A list named '{name}' already exists (list_id {Ids.Format(other.Id)}).")
            : null;

    private static bool TryRouteId(HttpContext context, out Guid id, out ApiResponse? error) =>
        Ids.TryRoute(context, "list_id", out id, out error);

    private static ApiResponse NotFound(Guid id) => ApiResponse.NotFound($"List {id} was not found.");
}
