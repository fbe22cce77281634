using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Contacts;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Activities;

/// <summary>
/// Completes add/remove_list_memberships and contacts_taggings_add/remove: the contacts chosen when the activity was
/// queued gain or lose the given lists or tags; their other memberships and tags are untouched. A tag delete
/// (DELETE /contact_tags/{tag_id}) takes the tag off every contact and deletes it.
/// </summary>
internal static class MembershipRunner
{
    public static void Run(SandboxState state, ActivityRecord activity, DateTimeOffset at)
    {
        var payload = JsonNode.Parse(activity.Payload)!.AsObject();
        var targets = payload["targets"]!.AsArray().Select(n => Guid.Parse(n!.GetValue<string>())).ToList();
        var (add, ofLists) = activity.Kind switch
        {
            ActivityRecord.AddListMemberships => (true, true),
            ActivityRecord.RemoveListMemberships => (false, true),
            ActivityRecord.AddTaggings => (true, false),
            _ => (false, false),
        };
        foreach (var id in payload["contact_ids"]!.AsArray().Select(n => Guid.Parse(n!.GetValue<string>())))
        {
            if (state.Contact(id) is not { IsDeleted: false } contact)
            {
                activity.Errors.Add($"contact_id {id} was not found.");
                continue;
            }

            var held = ofLists ? contact.Lists : contact.Tags;
            var after = add ? held.Union(targets).ToList() : held.Except(targets).ToList();
            var max = ofLists ? ContactRules.ListsMax : ContactRules.TagsMax;
            if (after.Count > max)
            {
                activity.Errors.Add($"contact_id {id} would have more than {max} {(ofLists ? "list memberships" : "tags")}.");
                continue;
            }

            if (after.Count == held.Count && after.All(held.Contains))
            {
                continue;
            }

            held.Clear();
            held.AddRange(after);
            ContactWriter.Touch(state, contact, "Account", at);
        }
    }

    public static void RunTagDelete(SandboxState state, ActivityRecord activity, DateTimeOffset at)
    {
        var tagId = Guid.Parse(JsonNode.Parse(activity.Payload)!["tag_id"]!.GetValue<string>());
        if (state.Tag(tagId) is not { } tag)
        {
            activity.Errors.Add($"tag_id {tagId} was not found.");
            return;
        }

        tag.DeletedAt = at;
        tag.UpdatedAt = at;
        state.MarkDirty(tag);
        foreach (var contact in state.Contacts.Where(c => c.Tags.Contains(tagId)))
        {
            contact.Tags.Remove(tagId);
            ContactWriter.Touch(state, contact, "Account", at);
        }
    }
}
