using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Contacts;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Activities;

/// <summary>Completes contact_delete (by contact_ids or list_ids) and list_delete activities.</summary>
internal static class ContactDeleteRunner
{
    public static void Run(SandboxState state, ActivityRecord activity, DateTimeOffset at)
    {
        var payload = JsonNode.Parse(activity.Payload)!.AsObject();
        if (payload["contact_ids"] is JsonArray ids)
        {
            foreach (var id in ids.Select(n => Guid.Parse(n!.GetValue<string>())))
            {
                if (state.Contact(id) is { } contact)
                {
                    ContactWriter.Delete(state, contact, at);
                }
                else
                {
                    activity.Errors.Add($"contact_id {id} was not found.");
                }
            }

            return;
        }

        var deleted = 0;
        foreach (var listId in payload["list_ids"]!.AsArray().Select(n => Guid.Parse(n!.GetValue<string>())))
        {
            if (state.ActiveList(listId) is null)
            {
                activity.Errors.Add($"list_id {listId} was not found.");
                continue;
            }

            foreach (var contact in state.Contacts.Where(c => c.Lists.Contains(listId)).ToList())
            {
                ContactWriter.Delete(state, contact, at);
                deleted++;
            }
        }

        activity.ItemsTotal = deleted;
    }

    /// <summary>Deletes a list: it is marked deleted and removed from every contact's memberships.</summary>
    public static void RunListDelete(SandboxState state, ActivityRecord activity, DateTimeOffset at)
    {
        var listId = Guid.Parse(JsonNode.Parse(activity.Payload)!["list_id"]!.GetValue<string>());
        if (state.ActiveList(listId) is not { } list)
        {
            activity.Errors.Add($"list_id {listId} was not found.");
            return;
        }

        list.DeletedAt = at;
        list.UpdatedAt = at;
        state.MarkDirty(list);
        foreach (var contact in state.Contacts.Where(c => c.Lists.Contains(listId)))
        {
            contact.Lists.Remove(listId);
            state.MarkDirty(contact);
        }
    }
}
