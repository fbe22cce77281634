using System.Text.Json.Nodes;
using EtlRunner.Connectors;

namespace EtlRunner.Schema;

/// <summary>
/// The JSON schema of one value (connection field, activity parameter or option) from its <see cref="ParameterSpec"/>.
/// A number or true/false field also accepts text, because <c>batch_size: "[batch_size]"</c> is resolved only at run
/// time; the text must then look like the value, or contain a <c>[variable]</c> reference.
/// </summary>
internal static class ValueSchemas
{
    public const string VariableText = "variableText";
    public const string IntegerText = "integerText";
    public const string NumberText = "numberText";
    public const string BooleanText = "booleanText";
    public const string DurationValue = "duration";
    public const string ChangeLimitValue = "changeLimit";

    /// <summary>The shared pieces referenced as <c>#/definitions/NAME</c>.</summary>
    public static JsonObject Definitions() => new()
    {
        [VariableText] = Text("Text with a [variable] reference, resolved when the pipeline runs.", @"\["),
        [IntegerText] = Text("A whole number written as text, or text with a [variable] reference.", @"^\s*[-+]?[0-9]+\s*$|\["),
        [NumberText] = Text("A number written as text, or text with a [variable] reference.", @"^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$|\["),
        [DurationValue] = Text("A duration: seconds, or a number with ms, s, m or h (90s, 15m, 2h); or text with a [variable] reference.", DurationText.SchemaPattern + @"|\["),
        [ChangeLimitValue] = Text("A count (50) or a percentage (5%); or text with a [variable] reference.", @"^\s*([0-9]+|[0-9]+(\.[0-9]+)?%)\s*$|\["),
        [BooleanText] = Text("true or false written as text, or text with a [variable] reference.", @"^\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\s*$|\["),
    };

    /// <summary>A single value: text, a number, true, false or nothing.</summary>
    public static JsonObject Scalar() => new() { ["type"] = Types("string", "number", "boolean", "null") };

    public static JsonObject Ref(string definition) => new() { ["$ref"] = "#/definitions/" + definition };

    /// <summary>The schema of a value with its description, shape, bounds, allowed values and default.</summary>
    public static JsonObject For(ParameterSpec spec, string description)
    {
        var schema = KeySchemas.Described(description, Shape(spec));
        if (Json(spec.Default) is { } defaultValue)
        {
            schema["default"] = defaultValue;
        }

        return schema;
    }

    /// <summary>The shape alone (types, bounds, enum), without description or default.</summary>
    public static JsonObject Shape(ParameterSpec spec) => spec.Type switch
    {
        ParameterType.String when spec.AllowedValues is { Count: > 0 } allowed =>
            AnyOf(new JsonObject { ["type"] = "string", ["enum"] = Strings(allowed) }, Ref(VariableText)),
        ParameterType.String => new JsonObject { ["type"] = Types("string", "number") },
        ParameterType.Path => new JsonObject { ["type"] = "string" },
        ParameterType.Integer => AnyOf(Bounded("integer", spec), Ref(IntegerText)),
        ParameterType.Number => AnyOf(Bounded("number", spec), Ref(NumberText)),
        ParameterType.Duration => AnyOf(new JsonObject { ["type"] = "number", ["minimum"] = 0 }, Ref(DurationValue)),
        ParameterType.ChangeLimit => AnyOf(new JsonObject { ["type"] = "integer", ["minimum"] = 0 }, Ref(ChangeLimitValue)),
        ParameterType.Boolean => AnyOf(new JsonObject { ["type"] = "boolean" }, Ref(BooleanText)),
        ParameterType.StringList => AnyOf(
            new JsonObject { ["type"] = "string" },
            new JsonObject { ["type"] = "array", ["items"] = ListItem(spec) }),
        ParameterType.Map => new JsonObject { ["type"] = "object", ["additionalProperties"] = Scalar() },
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Type, "unknown parameter type"),
    };

    public static JsonNode? Json(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        _ => JsonValue.Create(value.ToString()),
    };

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    public static JsonArray Types(params string[] types) => Strings(types);

    private static JsonObject ListItem(ParameterSpec spec) => spec.AllowedValues is { Count: > 0 } allowed
        ? AnyOf(new JsonObject { ["type"] = "string", ["enum"] = Strings(allowed) }, Ref(VariableText))
        : new JsonObject { ["type"] = Types("string", "number") };

    private static JsonObject Bounded(string type, ParameterSpec spec)
    {
        var schema = new JsonObject { ["type"] = type };
        if (spec.Minimum is { } minimum)
        {
            schema["minimum"] = minimum;
        }

        if (spec.Maximum is { } maximum)
        {
            schema["maximum"] = maximum;
        }

        return schema;
    }

    private static JsonObject AnyOf(params JsonObject[] alternatives) => new() { ["anyOf"] = new JsonArray([.. alternatives]) };

    private static JsonObject Text(string description, string pattern) => new()
    {
        ["description"] = description,
        ["type"] = "string",
        ["pattern"] = pattern,
    };
}
