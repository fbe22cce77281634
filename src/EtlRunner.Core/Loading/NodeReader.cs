using System.Globalization;
using System.Text.RegularExpressions;
using EtlRunner.Diagnostics;
using EtlRunner.Model;

namespace EtlRunner.Loading;

/// <summary>Shape checks shared by the loader: expected node kinds, known keys with suggestions, scalar typing.</summary>
internal sealed partial class NodeReader(DiagnosticBag diagnostics)
{
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public YamlMapping? Mapping(YamlNode? node, string what)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlMapping mapping:
                return mapping;
            case YamlScalar { IsNull: true }:
                return null;
            default:
                Diagnostics.Add(node.Location, LoadErrors.NotAMapping(what, node.Kind));
                return null;
        }
    }

    public YamlSequence? Sequence(YamlNode? node, string what)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlSequence sequence:
                return sequence;
            case YamlScalar { IsNull: true }:
                return null;
            default:
                Diagnostics.Add(node.Location, LoadErrors.NotAList(what, node.Kind));
                return null;
        }
    }

    public Located? Text(YamlNode? node, string what)
    {
        switch (node)
        {
            case null:
            case YamlScalar { IsNull: true }:
                return null;
            case YamlScalar scalar:
                return new Located(scalar.Value, scalar.TextLocation);
            default:
                Diagnostics.Add(node.Location, LoadErrors.NotText(what, node.Kind));
                return null;
        }
    }

    public bool? Boolean(YamlNode? node, string what)
    {
        var value = node is null ? null : ToField(node).Value;
        switch (value)
        {
            case null:
                return null;
            case bool b:
                return b;
            default:
                Diagnostics.Add(node!.Location, LoadErrors.NotABoolean(what, value));
                return null;
        }
    }

    /// <summary>Reports keys of <paramref name="mapping"/> that are not among <paramref name="known"/>, and missing required ones.</summary>
    public void CheckKeys(YamlMapping mapping, string what, IEnumerable<string> known, IEnumerable<string>? required = null, string? hint = null)
    {
        var knownList = known.ToList();
        foreach (var (key, _) in mapping.Entries)
        {
            if (!knownList.Contains(key.Value, StringComparer.Ordinal))
            {
                Diagnostics.Add(key.Location, LoadErrors.UnknownKey(key.Value, what, knownList, hint));
            }
        }

        foreach (var name in required ?? [])
        {
            if (mapping[name] is null or YamlScalar { IsNull: true })
            {
                Diagnostics.Add(mapping.Location, LoadErrors.MissingKey(what, name));
            }
        }
    }

    /// <summary>Turns a node into a <see cref="FieldValue"/>: plain scalars are typed (YAML 1.2 core schema), quoted ones stay text.</summary>
    public FieldValue ToField(YamlNode node) => node switch
    {
        YamlScalar scalar => new FieldValue(Type(scalar), scalar.Location) { Quoted = !scalar.IsPlain },
        YamlSequence sequence => new FieldValue(sequence.Items.Select(ToField).ToList(), sequence.Location),
        YamlMapping mapping => new FieldValue(
            mapping.Entries.ToDictionary(e => e.Key.Value, e => ToField(e.Value), StringComparer.Ordinal),
            mapping.Location),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static object? Type(YamlScalar scalar)
    {
        if (!scalar.IsPlain || scalar.Tag is "tag:yaml.org,2002:str" or "!!str")
        {
            return scalar.Value;
        }

        var text = scalar.Value;
        if (scalar.IsNull)
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return true;
        }

        if (text is "false" or "False" or "FALSE")
        {
            return false;
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return text;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
