using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.CustomFields;

internal static class CustomFieldRenderer
{
    public static JsonObject Render(CustomFieldRecord f)
    {
        var obj = new JsonObject
        {
            ["custom_field_id"] = Ids.Format(f.Id),
            ["label"] = f.Label,
            ["name"] = f.Name,
            ["type"] = f.Type,
        }.With("metadata", f.MetadataJson is null ? null : JsonNode.Parse(f.MetadataJson))
            .With("version", f.Version);
        if (f.Choices.Count > 0)
        {
            obj["choices"] = f.Choices.ToJsonArray(c => new JsonObject
            {
                ["custom_field_id"] = Ids.Format(f.Id),
                ["choice_id"] = c.Id,
                ["choice_label"] = c.Label,
            }.With("display_order", c.DisplayOrder).With("created_at", f.CreatedAt).With("updated_at", f.UpdatedAt));
        }

        return obj.With("updated_at", f.UpdatedAt).With("created_at", f.CreatedAt);
    }
}
