using System.Globalization;
using EtlRunner.Diagnostics;

namespace EtlRunner.Model;

/// <summary>
/// A value as written in the YAML file, with its position. <see cref="Value"/> is a <c>string</c>, <c>long</c>,
/// <c>double</c>, <c>bool</c>, <c>null</c>, an <see cref="IReadOnlyList{T}"/> of <see cref="FieldValue"/> or an
/// <see cref="IReadOnlyDictionary{TKey,TValue}"/> of string to <see cref="FieldValue"/>.
/// </summary>
public sealed record FieldValue(object? Value, SourceLocation Location)
{
    /// <summary>True when the value came from a quoted or block scalar: its text is exactly what the user wrote.</summary>
    public bool Quoted { get; init; }

    public string? AsText() => Value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The value without positions: lists as <c>List&lt;object?&gt;</c>, mappings as string-keyed dictionaries, as records hold them.</summary>
    public object? ToPlain() => Value switch
    {
        IReadOnlyList<FieldValue> items => items.Select(i => i.ToPlain()).ToList(),
        IReadOnlyDictionary<string, FieldValue> map => map.ToDictionary(e => e.Key, e => e.Value.ToPlain(), StringComparer.Ordinal),
        var scalar => scalar,
    };

    public override string ToString() => AsText() ?? Value?.ToString() ?? "null";
}

/// <summary>A string from the YAML file with its position.</summary>
public sealed record Located(string Value, SourceLocation Location)
{
    public override string ToString() => Value;
}
