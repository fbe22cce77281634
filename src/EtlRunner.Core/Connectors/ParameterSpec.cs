namespace EtlRunner.Connectors;

/// <summary>The type of a connection field or activity parameter, as the YAML file writes it.</summary>
public enum ParameterType
{
    /// <summary>A string; <c>[variables]</c> are resolved in it.</summary>
    String,

    /// <summary>A whole number (a YAML number, or a string such as <c>"[batch_size]"</c> that resolves to one).</summary>
    Integer,

    /// <summary>A decimal number.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A list of strings, written as a YAML sequence or a comma-separated string.</summary>
    StringList,

    /// <summary>A map of names to scalar values (e.g. SQL parameters).</summary>
    Map,

    /// <summary>A file or folder path; relative paths resolve against the folder of the YAML file.</summary>
    Path,

    /// <summary>A duration: <c>90</c> (seconds), <c>250ms</c>, <c>90s</c>, <c>15m</c>, <c>2h</c>; bound to a <see cref="TimeSpan"/>.</summary>
    Duration,

    /// <summary>A limit on changes: a count (<c>50</c>) or a percentage (<c>5%</c>) of some whole the parameter names.</summary>
    ChangeLimit,
}

/// <summary>
/// Declares one connection field or activity parameter of a connector: the loader validates against it,
/// the JSON schema and the documentation are generated from it.
/// </summary>
public sealed record ParameterSpec(string Name, ParameterType Type, string Description)
{
    public bool Required { get; init; }

    /// <summary>The value used when the field is absent (already typed: string, long, double, bool).</summary>
    public object? Default { get; init; }

    /// <summary>The only values allowed (for an enumeration), compared case-sensitively.</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    /// <summary>The value is a secret: masked as <c>***</c> wherever it would be printed.</summary>
    public bool Secret { get; init; }

    /// <summary>The value names fields of the records the activity receives (a key): checked against them before the first write.</summary>
    public bool NamesFields { get; init; }

    /// <summary>
    /// For text: <c>[variable]</c> references are not spliced into the text but kept as values beside it (a statement
    /// and its bound parameters), so the setting holds a <see cref="BoundText"/>.
    /// </summary>
    public bool Bound { get; init; }

    /// <summary>Inclusive bounds for numbers.</summary>
    public long? Minimum { get; init; }

    public long? Maximum { get; init; }
}
