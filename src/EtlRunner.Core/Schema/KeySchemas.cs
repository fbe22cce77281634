using System.Text.Json.Nodes;
using EtlRunner.Loading;

namespace EtlRunner.Schema;

/// <summary>
/// Turns a list of <see cref="KeySpec"/>s into a strict object schema: every key with its description, the required
/// ones listed, nothing else allowed. Each key needs a shape; a key added to <see cref="PipelineKeys"/> without one
/// stops the generation (and the tests) instead of slipping through unchecked.
/// </summary>
internal static class KeySchemas
{
    /// <summary>An object that allows exactly <paramref name="keys"/>.</summary>
    public static JsonObject Strict(string section, IEnumerable<KeySpec> keys, IReadOnlyDictionary<string, Func<JsonObject>> shapes)
    {
        var list = keys.ToList();
        var schema = new JsonObject { ["type"] = "object" };
        if (list.Any(k => k.Required))
        {
            schema["required"] = ValueSchemas.Strings(list.Where(k => k.Required).Select(k => k.Name));
        }

        schema["properties"] = Properties(section, list, shapes);
        schema["additionalProperties"] = false;
        return schema;
    }

    /// <summary>The <c>properties</c> of <paramref name="keys"/>, each its description followed by its shape.</summary>
    public static JsonObject Properties(string section, IEnumerable<KeySpec> keys, IReadOnlyDictionary<string, Func<JsonObject>> shapes)
    {
        var properties = new JsonObject();
        foreach (var key in keys)
        {
            if (!shapes.TryGetValue(key.Name, out var shape))
            {
                throw new InvalidOperationException(
                    $"PipelineKeys.{section} has the key '{key.Name}', but the schema generator has no shape for it: add one in src/EtlRunner.Core/Schema.");
            }

            properties[key.Name] = Described(key.Description, shape());
        }

        return properties;
    }

    /// <summary>A schema that starts with its description, so editors and readers see it first.</summary>
    public static JsonObject Described(string description, JsonObject shape)
    {
        var schema = new JsonObject { ["description"] = description };
        foreach (var (name, value) in shape.ToList())
        {
            shape.Remove(name);
            schema[name] = value;
        }

        return schema;
    }

    public static JsonObject Type(string type) => new() { ["type"] = type };

    /// <summary>A name that must not contain '/' or ':' (connection and operation names).</summary>
    public static JsonObject Name() => new() { ["type"] = "string", ["pattern"] = "^[^/:]+$" };
}
