using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Contacts;

/// <summary>Checks, under the state lock, that the lists and custom fields an input names exist.</summary>
internal static class ContactReferences
{
    public static void Check(SandboxState state, IEnumerable<Guid>? lists, IEnumerable<CustomFieldValue>? fields, List<string> errors)
    {
        foreach (var id in lists ?? [])
        {
            if (state.ActiveList(id) is null)
            {
                errors.Add($"list_memberships: list_id {id} does not exist.");
            }
        }

        foreach (var f in fields ?? [])
        {
            if (state.Field(f.CustomFieldId) is null)
            {
                errors.Add($"custom_fields: custom_field_id {f.CustomFieldId} does not exist.");
            }
        }
    }
}
