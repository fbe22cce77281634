using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Activities;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;
using Microsoft.AspNetCore.Http;

namespace EtlRunner.Sandbox.Tags;

/// <summary>GET/POST /contact_tags and GET/PUT/DELETE /contact_tags/{tag_id}.</summary>
internal sealed class TagsEndpoints(SandboxState state, ActivityEngine engine)
{
    public const int NameMax = 255;

    public void Map(ApiRouteMap map)
    {
        map.Add(ApiRoutes.GetTags, List);
        map.Add(ApiRoutes.GetTag, Get);
        map.Add(ApiRoutes.PostTag, CreateAsync);
        map.Add(ApiRoutes.PutTag, RenameAsync);
        map.Add(ApiRoutes.DeleteTag, Delete);
    }

    private ApiResponse List(HttpContext context)
    {
        var (q, after, error) = Paging.Read(ApiRoutes.GetTags, context);
        if (error is not null)
        {
            return error;
        }

        var limit = q.Int("limit", 1, 500, 50);
        var includeCount = q.Bool("include_count");
        if (q.Errors.Count > 0)
        {
            return ApiResponse.Validation(q.Errors);
        }

        return state.Read(() =>
        {
            var (items, next) = Paging.Take(state.Tags, t => t.Sequence, after, limit);
            var body = new JsonObject { ["tags"] = items.ToJsonArray(t => Render(t, includeCount)) };
            if (next is { } n)
            {
                body["_links"] = JsonBuilder.NextLinks(Paging.NextHref("/v3/contact_tags", q.Raw, n));
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

        var q = new QueryReader(ApiRoutes.GetTag, context.Request.Query.ToDictionary(k => k.Key, k => k.Value.ToString()));
        var includeCount = q.Bool("include_count");
        if (q.Errors.Count > 0)
        {
            return ApiResponse.Validation(q.Errors);
        }

        return state.Read(() => state.Tag(id) is { } tag ? ApiResponse.Ok(Render(tag, includeCount)) : NotFound(id));
    }

    private async Task<ApiResponse> CreateAsync(HttpContext context)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(context);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        var r = new FieldReader(body!, "", errors);
        var name = Name(r);
        var source = r.String("tag_source");
        if (errors.Count > 0)
        {
            return ApiResponse.Validation(errors);
        }

        return state.Write(() =>
        {
            if (NameTaken(name!, null) is { } conflict)
            {
                return conflict;
            }

            var now = state.Now;
            var tag = new TagRecord { Id = Guid.NewGuid(), Name = name!, TagSource = source, CreatedAt = now, UpdatedAt = now };
            state.AddTag(tag);
            return ApiResponse.Json(StatusCodes.Status201Created, Render(tag, includeCount: false));
        });
    }

    private async Task<ApiResponse> RenameAsync(HttpContext context)
    {
        if (!TryRouteId(context, out var id, out var idError))
        {
            return idError!;
        }

        var (body, error) = await RequestBody.ReadObjectAsync(context);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        var name = Name(new FieldReader(body!, "", errors));
        if (errors.Count > 0)
        {
            return ApiResponse.Validation(errors);
        }

        return state.Write(() =>
        {
            if (state.Tag(id) is not { } tag)
            {
                return NotFound(id);
            }

            if (NameTaken(name!, id) is { } conflict)
            {
                return conflict;
            }

            tag.Name = name!;
            tag.UpdatedAt = state.Now;
            state.MarkDirty(tag);
            return ApiResponse.Ok(Render(tag, includeCount: false));
        });
    }

    /// <summary>202 with an activity that, when it completes, takes the tag off every contact and deletes it.</summary>
    private ApiResponse Delete(HttpContext context)
    {
        if (!TryRouteId(context, out var id, out var error))
        {
            return error!;
        }

        return state.Write(() =>
        {
            if (state.Tag(id) is null)
            {
                return NotFound(id);
            }

            if (engine.QueueFull)
            {
                return ActivitiesEndpoints.QueueFull();
            }

            var payload = new JsonObject { ["tag_id"] = Ids.Format(id) }.ToJsonString();
            var activity = engine.Submit(ActivityRecord.TagDelete, payload, 1);
            var body = ActivityRenderer.Render(activity, activity.CreatedAt, ActivityView.TagDelete);
            return new ApiResponse(StatusCodes.Status202Accepted, body, ActivityRenderer.Href(activity));
        });
    }

    private static string? Name(FieldReader r)
    {
        var name = r.String("name", NameMax, required: true)?.Trim();
        if (name is { Length: 0 })
        {
            r.Errors.Add("name must not be empty.");
        }

        return name;
    }

    private JsonObject Render(TagRecord t, bool includeCount) => new JsonObject
    {
        ["tag_id"] = Ids.Format(t.Id),
        ["name"] = t.Name,
    }.With("contacts_count", includeCount ? state.Contacts.Count(c => !c.IsDeleted && c.Tags.Contains(t.Id)) : null)
        .With("created_at", t.CreatedAt)
        .With("updated_at", t.UpdatedAt)
        .With("tag_source", t.TagSource);

    private ApiResponse? NameTaken(string name, Guid? self) =>
        state.Tags.FirstOrDefault(t => t.Id != self && t.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } other
            ? ApiResponse.Conflict($"A tag named '{name}' already exists (tag_id {Ids.Format(other.Id)}).")
            : null;

    private static bool TryRouteId(HttpContext context, out Guid id, out ApiResponse? error) =>
        Ids.TryRoute(context, "tag_id", out id, out error);

    private static ApiResponse NotFound(Guid id) => ApiResponse.NotFound($"Tag {id} was not found.");
}
