using System.Text.Json;
using System.Text.Json.Nodes;

namespace EtlRunner.Sandbox.Http;

/// <summary>Typed, validating access to the properties of a JSON request object; problems go to a shared error list.</summary>
internal sealed class FieldReader(JsonObject obj, string prefix, List<string> errors)
{
    public List<string> Errors => errors;

    public JsonObject Object => obj;

    public bool Has(string name) => obj.TryGetPropertyValue(name, out var n) && n is not null;

    public string PathOf(string name) => prefix + name;

    public string? String(string name, int maxLength = int.MaxValue, bool required = false)
    {
        if (!TryGet(name, required, out var node))
        {
            return null;
        }

        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
        {
            errors.Add($"{PathOf(name)} must be a string.");
            return null;
        }

        var s = v.GetValue<string>();
        if (s.Length > maxLength)
        {
            errors.Add($"{PathOf(name)} exceeds the maximum length of {maxLength} characters.");
            return null;
        }

        if (required && string.IsNullOrWhiteSpace(s))
        {
            errors.Add($"{PathOf(name)} is required.");
            return null;
        }

        return s.Length == 0 ? null : s;
    }

    public string? Enum(string name, IReadOnlyCollection<string> allowed, bool required = false)
    {
        var s = String(name, required: required);
        if (s is not null && !allowed.Contains(s))
        {
            errors.Add($"{PathOf(name)} must be one of: {string.Join(", ", allowed)}.");
            return null;
        }

        return s;
    }

    public int? Int(string name, int min, int max)
    {
        if (!TryGet(name, false, out var node))
        {
            return null;
        }

        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out int n))
        {
            errors.Add($"{PathOf(name)} must be an integer.");
            return null;
        }

        if (n < min || n > max)
        {
            errors.Add($"{PathOf(name)} must be between {min} and {max}.");
            return null;
        }

        return n;
    }

    public bool? Bool(string name)
    {
        if (!TryGet(name, false, out var node))
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValue<bool>();
        }

        errors.Add($"{PathOf(name)} must be a boolean.");
        return null;
    }

    public JsonObject? Child(string name, bool required = false)
    {
        if (!TryGet(name, required, out var node))
        {
            return null;
        }

        if (node is JsonObject o)
        {
            return o;
        }

        errors.Add($"{PathOf(name)} must be an object.");
        return null;
    }

    public FieldReader? ChildReader(string name, bool required = false) =>
        Child(name, required) is { } o ? new FieldReader(o, PathOf(name) + ".", errors) : null;

    public JsonArray? Array(string name, int maxItems, int minItems = 0, bool required = false)
    {
        if (!TryGet(name, required, out var node))
        {
            return null;
        }

        if (node is not JsonArray a)
        {
            errors.Add($"{PathOf(name)} must be an array.");
            return null;
        }

        if (a.Count > maxItems)
        {
            errors.Add($"{PathOf(name)} can contain at most {maxItems} items.");
            return null;
        }

        if (a.Count < minItems)
        {
            errors.Add($"{PathOf(name)} must contain at least {minItems} item{(minItems == 1 ? "" : "s")}.");
            return null;
        }

        return a;
    }

    /// <summary>An array of objects, each given to <paramref name="item"/> with its own reader.</summary>
    public List<T>? Objects<T>(string name, int maxItems, Func<FieldReader, T?> item, int minItems = 0, bool required = false)
        where T : class
    {
        if (Array(name, maxItems, minItems, required) is not { } a)
        {
            return null;
        }

        var result = new List<T>();
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] is not JsonObject o)
            {
                errors.Add($"{PathOf(name)}[{i}] must be an object.");
                continue;
            }

            if (item(new FieldReader(o, $"{PathOf(name)}[{i}].", errors)) is { } value)
            {
                result.Add(value);
            }
        }

        return result;
    }

    public List<Guid>? Uuids(string name, int maxItems, int minItems = 0, bool required = false)
    {
        if (Array(name, maxItems, minItems, required) is not { } a)
        {
            return null;
        }

        var result = new List<Guid>();
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && Ids.TryParse(v.GetValue<string>(), out var id))
            {
                if (!result.Contains(id))
                {
                    result.Add(id);
                }
            }
            else
            {
                errors.Add($"{PathOf(name)}[{i}] must be a UUID string.");
            }
        }

        return result;
    }

    public Guid? Uuid(string name, bool required = false)
    {
        var s = String(name, required: required);
        if (s is null)
        {
            return null;
        }

        if (Ids.TryParse(s, out var id))
        {
            return id;
        }

        errors.Add($"{PathOf(name)} must be a UUID.");
        return null;
    }

    private bool TryGet(string name, bool required, out JsonNode node)
    {
        if (obj.TryGetPropertyValue(name, out var n) && n is not null)
        {
            node = n;
            return true;
        }

        if (required)
        {
            errors.Add($"{PathOf(name)} is required.");
        }

        node = null!;
        return false;
    }
}
