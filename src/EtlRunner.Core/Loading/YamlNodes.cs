using EtlRunner.Diagnostics;
using YamlDotNet.Core;

namespace EtlRunner.Loading;

/// <summary>A YAML node with its position. Aliases point at the anchored node; <see cref="Weight"/> counts them expanded.</summary>
internal abstract class YamlNode(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    /// <summary>The number of nodes this one stands for once aliases are expanded.</summary>
    public abstract long Weight { get; }

    public abstract string Kind { get; }
}

internal sealed class YamlScalar(SourceLocation location, string value, ScalarStyle style, string? tag) : YamlNode(location)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    public string? Tag { get; } = tag;

    public bool IsPlain => Style == ScalarStyle.Plain;

    /// <summary>Where the text itself starts: after the opening quote of a quoted scalar.</summary>
    public SourceLocation TextLocation => Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? Location.Shift(1) : Location;

    /// <summary>A plain <c>~</c>, <c>null</c> or empty value.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override long Weight => 1;

    public override string Kind => IsNull ? "null" : "a scalar";
}

internal sealed class YamlMapping(SourceLocation location, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries, long weight) : YamlNode(location)
{
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = entries;

    public override long Weight { get; } = weight;

    public override string Kind => "a mapping";

    public YamlNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key).Value;
}

internal sealed class YamlSequence(SourceLocation location, IReadOnlyList<YamlNode> items, long weight) : YamlNode(location)
{
    public IReadOnlyList<YamlNode> Items { get; } = items;

    public override long Weight { get; } = weight;

    public override string Kind => "a list";
}
