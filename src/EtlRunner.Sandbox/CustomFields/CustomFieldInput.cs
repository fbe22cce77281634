using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.CustomFields;

/// <summary>A CustomFieldRequest (POST) or CustomFieldPutRequest (PUT) body.</summary>
internal sealed record CustomFieldInput(string Label, string? Type, string? MetadataJson, int? Version, List<ChoiceRecord>? Choices)
{
    public static readonly string[] Types =
        ["string", "number", "date", "currency", "boolean", "single_select", "multi_select"];

    public static CustomFieldInput Parse(FieldReader r, bool isPut)
    {
        var label = r.String("label", 50, required: true)?.Trim() ?? "";
        var type = isPut ? null : r.String("type", 20, required: true);
        if (type is not null && !Types.Contains(type))
        {
            r.Errors.Add($"type must be one of: {string.Join(", ", Types)}.");
        }

        var metadata = isPut ? null : r.Child("metadata")?.ToJsonString();
        var version = isPut ? null : r.Int("version", 1, 2);
        var index = 0;
        var choices = r.Objects("choices", 100, c =>
        {
            index++;
            var choiceLabel = c.String("choice_label", 255, required: true);
            var id = isPut ? c.Int("choice_id", 1, int.MaxValue) : null;
            return choiceLabel is null ? null
                : new ChoiceRecord { Id = id ?? index, Label = choiceLabel, DisplayOrder = c.Int("display_order", 0, int.MaxValue) };
        });
        return new CustomFieldInput(label, type, metadata, version, choices);
    }

    public void ApplyTo(CustomFieldRecord field)
    {
        field.Label = Label;
        field.Name = CustomFieldRecord.NameFor(Label);
        field.Type = Type ?? field.Type;
        field.MetadataJson = Type is null ? field.MetadataJson : MetadataJson;
        field.Version = Type is null ? field.Version : Version ?? (Type == "date" ? 2 : null);
        field.Choices = Choices ?? [];
    }
}
