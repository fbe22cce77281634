using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace EtlRunner.Sandbox.Tests.Support;

/// <summary>
/// Validates JSON against a Swagger 2.0 schema: $ref, allOf, objects (no unknown fields, required fields present),
/// arrays (items, maxItems), strings (maxLength, enum, date-time/date/uuid formats), integers, numbers, booleans.
/// </summary>
internal sealed partial class SchemaValidator(SwaggerContract contract)
{
    public List<string> Validate(JsonElement value, YamlMappingNode schema, string where)
    {
        var errors = new List<string>();
        Check(value, schema, where, errors);
        return errors;
    }

    private void Check(JsonElement value, YamlMappingNode raw, string where, List<string> errors)
    {
        var schema = contract.Resolve(raw);
        if (schema.Children.TryGetValue(new YamlScalarNode("allOf"), out var all) && all is YamlSequenceNode parts)
        {
            foreach (var part in parts.OfType<YamlMappingNode>())
            {
                Check(value, part, where, errors);
            }

            return;
        }

        var type = SwaggerContract.Scalar(schema, "type")
            ?? (schema.Children.ContainsKey(new YamlScalarNode("properties")) ? "object" : null);
        switch (type)
        {
            case "object":
                CheckObject(value, schema, where, errors);
                break;
            case "array":
                CheckArray(value, schema, where, errors);
                break;
            case "string":
                CheckString(value, schema, where, errors);
                break;
            case "integer":
                Expect(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _), where, "an integer", value, errors);
                break;
            case "number":
                Expect(value.ValueKind == JsonValueKind.Number, where, "a number", value, errors);
                break;
            case "boolean":
                Expect(value.ValueKind is JsonValueKind.True or JsonValueKind.False, where, "a boolean", value, errors);
                break;
            default:
                break;
        }
    }

    private void CheckObject(JsonElement value, YamlMappingNode schema, string where, List<string> errors)
    {
        if (!Expect(value.ValueKind == JsonValueKind.Object, where, "an object", value, errors))
        {
            return;
        }

        var properties = schema.Children.TryGetValue(new YamlScalarNode("properties"), out var p) ? (YamlMappingNode)p : new YamlMappingNode();
        var open = schema.Children.ContainsKey(new YamlScalarNode("additionalProperties"));
        foreach (var property in value.EnumerateObject())
        {
            if (properties.Children.TryGetValue(new YamlScalarNode(property.Name), out var propertySchema))
            {
                Check(property.Value, (YamlMappingNode)propertySchema, $"{where}.{property.Name}", errors);
            }
            else if (!open)
            {
                errors.Add($"{where}.{property.Name}: field is not in the schema");
            }
        }

        if (schema.Children.TryGetValue(new YamlScalarNode("required"), out var required) && required is YamlSequenceNode names)
        {
            foreach (var name in names.OfType<YamlScalarNode>().Select(n => n.Value!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add($"{where}.{name}: required field is missing");
                }
            }
        }
    }

    private void CheckArray(JsonElement value, YamlMappingNode schema, string where, List<string> errors)
    {
        if (!Expect(value.ValueKind == JsonValueKind.Array, where, "an array", value, errors))
        {
            return;
        }

        if (SwaggerContract.Scalar(schema, "maxItems") is { } max && value.GetArrayLength() > int.Parse(max, CultureInfo.InvariantCulture))
        {
            errors.Add($"{where}: more than {max} items");
        }

        if (schema.Children.TryGetValue(new YamlScalarNode("items"), out var items) && items is YamlMappingNode itemSchema)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(item, itemSchema, $"{where}[{i++}]", errors);
            }
        }
    }

    private static void CheckString(JsonElement value, YamlMappingNode schema, string where, List<string> errors)
    {
        if (!Expect(value.ValueKind == JsonValueKind.String, where, "a string", value, errors))
        {
            return;
        }

        var s = value.GetString()!;
        if (SwaggerContract.Scalar(schema, "maxLength") is { } max && s.Length > int.Parse(max, CultureInfo.InvariantCulture))
        {
            errors.Add($"{where}: longer than {max} characters");
        }

        if (schema.Children.TryGetValue(new YamlScalarNode("enum"), out var e) && e is YamlSequenceNode allowed
            && !allowed.OfType<YamlScalarNode>().Any(a => a.Value == s))
        {
            errors.Add($"{where}: '{s}' is not one of the enum values");
        }

        var ok = SwaggerContract.Scalar(schema, "format") switch
        {
            "date-time" => DateTimePattern().IsMatch(s),
            "date" => DatePattern().IsMatch(s),
            "uuid" => Guid.TryParseExact(s, "D", out _),
            _ => true,
        };
        if (!ok)
        {
            errors.Add($"{where}: '{s}' does not have format {SwaggerContract.Scalar(schema, "format")}");
        }
    }

    private static bool Expect(bool condition, string where, string what, JsonElement value, List<string> errors)
    {
        if (!condition)
        {
            errors.Add($"{where}: expected {what}, got {value.ValueKind}");
        }

        return condition;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DatePattern();
}
