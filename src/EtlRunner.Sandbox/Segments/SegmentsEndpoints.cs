using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Http;
using Microsoft.AspNetCore.Http;

namespace EtlRunner.Sandbox.Segments;

/// <summary>GET /segments and GET /segments/{segment_id}, over the fixed <see cref="SegmentCatalog"/>.</summary>
internal sealed class SegmentsEndpoints(SegmentCatalog segments)
{
    public void Map(ApiRouteMap map)
    {
        map.Add(ApiRoutes.GetSegments, List);
        map.Add(ApiRoutes.GetSegment, Get);
    }

    private ApiResponse List(HttpContext context)
    {
        var (q, after, error) = Paging.Read(ApiRoutes.GetSegments, context);
        if (error is not null)
        {
            return error;
        }

        var limit = q.Int("limit", 1, 1000, 1000);
        var sort = q.Enum("sort_by", ["date", "name"]) ?? "date";
        if (q.Errors.Count > 0)
        {
            return ApiResponse.Validation(q.Errors);
        }

        var ordered = sort == "name" ? segments.All.OrderBy(s => s.Name, StringComparer.Ordinal).ToList() : [.. segments.All];
        var (items, next) = Paging.Take(ordered, s => ordered.IndexOf(s), after, limit);
        var body = new JsonObject
        {
            ["segments"] = items.ToJsonArray(s => new JsonObject { ["name"] = s.Name, ["segment_id"] = s.Id }
                .With("created_at", SegmentCatalog.SeededAt).With("edited_at", SegmentCatalog.SeededAt)),
        };
        if (next is { } n)
        {
            body["_links"] = JsonBuilder.NextLinks(Paging.NextHref("/v3/segments", q.Raw, n));
        }

        return ApiResponse.Ok(body);
    }

    private ApiResponse Get(HttpContext context) =>
        segments.Find(context.Request.RouteValues["segment_id"] as string ?? "") is { } s
            ? ApiResponse.Ok(new JsonObject { ["name"] = s.Name, ["segment_criteria"] = s.Criteria, ["segment_id"] = s.Id }
                .With("created_at", SegmentCatalog.SeededAt).With("edited_at", SegmentCatalog.SeededAt))
            : ApiResponse.NotFound($"Segment {context.Request.RouteValues["segment_id"]} was not found.");
}
