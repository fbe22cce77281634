using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Lists;

internal static class ListRenderer
{
    public static JsonObject Render(ListRecord l, int? membershipCount = null) => new JsonObject
    {
        ["list_id"] = Ids.Format(l.Id),
        ["name"] = l.Name,
    }.With("description", l.Description)
        .With("favorite", (JsonNode)l.Favorite)
        .With("created_at", l.CreatedAt)
        .With("updated_at", l.UpdatedAt)
        .With("deleted_at", l.DeletedAt)
        .With("membership_count", membershipCount);

    /// <summary>Members of a list: <c>all</c> counts every member, <c>active</c> only mailable ones.</summary>
    public static int? MembershipCount(SandboxState state, ListRecord list, string? mode) => mode switch
    {
        "all" => state.Contacts.Count(c => c.Lists.Contains(list.Id)),
        "active" => state.Contacts.Count(c => c.Lists.Contains(list.Id) && c.Status == "active"),
        _ => null,
    };
}
