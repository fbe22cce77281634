using System.Text.Json.Nodes;

namespace EtlRunner.Connectors.ConstantContact.Models.Requests;

/// <summary>A bulk change of list memberships or tags, each its own activity endpoint.</summary>
internal enum MembershipChange
{
    AddToLists,
    RemoveFromLists,
    AddTags,
    RemoveTags,
}

internal static class MembershipChanges
{
    public static string Endpoint(this MembershipChange change) => change switch
    {
        MembershipChange.AddToLists => "add_list_memberships",
        MembershipChange.RemoveFromLists => "remove_list_memberships",
        MembershipChange.AddTags => "contacts_taggings_add",
        _ => "contacts_taggings_remove",
    };

    public static bool OfLists(this MembershipChange change) => change is MembershipChange.AddToLists or MembershipChange.RemoveFromLists;

    public static NamedKind Targets(this MembershipChange change) => change.OfLists() ? NamedKind.List : NamedKind.Tag;
}

/// <summary>
/// The body of <c>POST /activities/add_list_memberships</c>, <c>remove_list_memberships</c> (ListActivityAddContacts /
/// ListActivityRemoveContacts) and <c>contacts_taggings_add</c> / <c>_remove</c> (TagAddRemoveContacts): the contacts by
/// id as the source, and the lists or tags.
/// </summary>
internal sealed record MembershipRequest(MembershipChange Change, IReadOnlyList<string> ContactIds, IReadOnlyList<string> TargetIds)
{
    /// <summary>At most this many contact ids per request (remove_list_memberships' maxItems: 0 is a quirk of the swagger; its text says 500).</summary>
    public const int MaxContacts = 500;

    /// <summary>At most this many list or tag ids per request.</summary>
    public const int MaxTargets = 50;

    public string ToJson() => new JsonObject
    {
        ["source"] = new JsonObject { ["contact_ids"] = new JsonArray([.. ContactIds.Select(id => JsonValue.Create(id))]) },
        [Change.OfLists() ? "list_ids" : "tag_ids"] = new JsonArray([.. TargetIds.Select(id => JsonValue.Create(id))]),
    }.ToJsonString();
}

/// <summary>What an account names: lists, tags and custom fields, each read once per run and found by name.</summary>
internal enum NamedKind
{
    List,
    Tag,
    CustomField,
}

internal static class NamedKinds
{
    public static string Path(this NamedKind kind) => kind switch
    {
        NamedKind.List => "contact_lists",
        NamedKind.Tag => "contact_tags",
        _ => "contact_custom_fields",
    };

    /// <summary>The JSON array a page holds and the id property of its items.</summary>
    public static (string Items, string Id) Json(this NamedKind kind) => kind switch
    {
        NamedKind.List => ("lists", "list_id"),
        NamedKind.Tag => ("tags", "tag_id"),
        _ => ("custom_fields", "custom_field_id"),
    };

    public static string PageSize(this NamedKind kind) => kind == NamedKind.CustomField ? "100" : "500";

    /// <summary>"list", "tag", "custom field".</summary>
    public static string Noun(this NamedKind kind) => kind switch
    {
        NamedKind.List => "list",
        NamedKind.Tag => "tag",
        _ => "custom field",
    };

    /// <summary>The body that creates one: a list or tag by name, a custom field as a string field labelled so.</summary>
    public static string NewBody(this NamedKind kind, string name) => (kind == NamedKind.CustomField
        ? new JsonObject { ["label"] = name, ["type"] = "string" }
        : new JsonObject { ["name"] = name }).ToJsonString();
}
