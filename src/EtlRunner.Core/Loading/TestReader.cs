using EtlRunner.Diagnostics;
using EtlRunner.Model;

namespace EtlRunner.Loading;

/// <summary>Reads the <c>tests:</c> section: each test's records and expectations, with their positions.</summary>
internal sealed class TestReader(NodeReader nodes)
{
    public IReadOnlyList<PipelineTestDefinition> Read(YamlNode? node)
    {
        var result = new List<PipelineTestDefinition>();
        foreach (var item in nodes.Sequence(node, "'tests'")?.Items ?? [])
        {
            if (nodes.Mapping(item, "a test") is { } mapping)
            {
                result.Add(Test(mapping));
            }
        }

        return result;
    }

    private PipelineTestDefinition Test(YamlMapping mapping)
    {
        var name = nodes.Text(mapping["name"], "name") ?? new Located(string.Empty, mapping.Location);
        var what = name.Value.Length > 0 ? $"test '{name.Value}'" : "a test";
        nodes.CheckKeys(mapping, what, PipelineKeys.Test.Select(k => k.Name), PipelineKeys.Test.Where(k => k.Required).Select(k => k.Name));
        return new PipelineTestDefinition(name, nodes.Text(mapping["operation"], "operation") ?? new Located(string.Empty, mapping.Location), mapping.Location)
        {
            Given = Records(mapping["given"], $"'given' of {what}") ?? [],
            Expect = Records(mapping["expect"], $"'expect' of {what}"),
            ExpectFiltered = Filtered(mapping["expect_filtered"], $"'expect_filtered' of {what}"),
            ExpectRejected = Rejected(mapping["expect_rejected"], $"'expect_rejected' of {what}"),
            ExpectGlobals = Values(mapping["expect_globals"], $"'expect_globals' of {what}"),
            Variables = Values(mapping["variables"], $"'variables' of {what}") ?? [],
        };
    }

    /// <summary>A list of records, each a mapping; null when the key is absent.</summary>
    private List<FieldValue>? Records(YamlNode? node, string what)
    {
        if (nodes.Sequence(node, what) is not { } sequence)
        {
            return node is YamlScalar { IsNull: true } ? [] : null;
        }

        var records = new List<FieldValue>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (nodes.Mapping(sequence.Items[i], $"record {i} of {what}") is { } record)
            {
                records.Add(nodes.ToField(record));
            }
        }

        return records;
    }

    private FilteredExpectation? Filtered(YamlNode? node, string what)
    {
        switch (node)
        {
            case null or YamlScalar { IsNull: true }:
                return null;
            case YamlSequence list:
                return new FilteredExpectation(null, [.. list.Items.Select(i => Index(i, $"an index in {what}")).OfType<int>()], node.Location);
            default:
                return Index(node, what) is { } count ? new FilteredExpectation(count, null, node.Location) : null;
        }
    }

    private List<RejectExpectation>? Rejected(YamlNode? node, string what)
    {
        if (nodes.Sequence(node, what) is not { } sequence)
        {
            return null;
        }

        var result = new List<RejectExpectation>();
        foreach (var item in sequence.Items)
        {
            if (nodes.Mapping(item, $"an item of {what} ({{ index, reason }})") is not { } mapping)
            {
                continue;
            }

            nodes.CheckKeys(mapping, $"an item of {what}", PipelineKeys.RejectExpectation.Select(k => k.Name), PipelineKeys.RejectExpectation.Where(k => k.Required).Select(k => k.Name));
            if (mapping["index"] is { } indexNode && Index(indexNode, $"'index' in {what}") is { } index)
            {
                result.Add(new RejectExpectation(index, nodes.Text(mapping["reason"], "reason")?.Value, mapping.Location));
            }
        }

        return result;
    }

    private List<KeyValuePair<Located, FieldValue>>? Values(YamlNode? node, string what) =>
        nodes.Mapping(node, what)?.Entries.Select(e => KeyValuePair.Create(new Located(e.Key.Value, e.Key.Location), nodes.ToField(e.Value))).ToList();

    /// <summary>A whole number from 0: an index into <c>given</c>, or a count.</summary>
    private int? Index(YamlNode node, string what)
    {
        if (nodes.ToField(node).Value is long value and >= 0 and <= int.MaxValue)
        {
            return (int)value;
        }

        nodes.Diagnostics.Add(node.Location, LoadErrors.NotAnIndex(what, Describe(node)));
        return null;
    }

    private static string Describe(YamlNode node) => node is YamlScalar scalar ? $"'{scalar.Value}'" : node.Kind;
}
