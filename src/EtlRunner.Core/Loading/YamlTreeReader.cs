using EtlRunner.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EtlRunner.Loading;

/// <summary>
/// Reads YAML text into <see cref="YamlNode"/>s with positions, strictly: duplicate keys, non-scalar keys,
/// deep nesting and alias bombs ("billion laughs") are errors, reported with their line and column.
/// </summary>
internal sealed class YamlTreeReader
{
    public const int MaxDepth = 64;
    public const long MaxWeight = 1_000_000;

    private readonly string _file;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
    private IParser _parser = null!;

    private YamlTreeReader(string file, DiagnosticBag diagnostics)
    {
        _file = file;
        _diagnostics = diagnostics;
    }

    /// <summary>Reads the first document; returns null (with diagnostics) when the text is not usable YAML.</summary>
    public static YamlNode? Read(string file, string text, DiagnosticBag diagnostics)
    {
        var reader = new YamlTreeReader(file, diagnostics);
        try
        {
            return reader.ReadDocument(new StringReader(text));
        }
        catch (YamlException ex)
        {
            // YamlDotNet gives no position for a tab in indentation: find the first one ourselves.
            var at = ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstIndentTab(text) is { } tab
                ? new SourceLocation(file, tab.Line, tab.Column)
                : reader.At(ex.Start);
            diagnostics.Add(at, LoadErrors.YamlSyntax(Describe(ex)));
            return null;
        }
        catch (TreeTooLargeException ex)
        {
            diagnostics.Add(ex.Location, ex.Message);
            return null;
        }
    }

    private YamlNode? ReadDocument(TextReader text)
    {
        _parser = new Parser(text);
        _parser.Consume<StreamStart>();
        if (_parser.Accept<StreamEnd>(out _))
        {
            return null;
        }

        _parser.Consume<DocumentStart>();
        var root = ReadNode(depth: 0);
        _parser.Consume<DocumentEnd>();
        if (_parser.Accept<DocumentStart>(out var next))
        {
            _diagnostics.Add(At(next.Start), LoadErrors.SeveralDocuments());
        }

        return root;
    }

    private YamlNode ReadNode(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new TreeTooLargeException(At(_parser.Current!.Start), $"the YAML is nested more than {MaxDepth} levels deep");
        }

        var current = _parser.Current ?? throw new YamlException("unexpected end of the file");
        switch (current)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlException(alias.Start, alias.End, $"the alias '*{alias.Value.Value}' refers to no anchor");
                }

                return target;
            case Scalar scalar:
                _parser.MoveNext();
                return Remember(scalar.Anchor, new YamlScalar(At(scalar.Start), scalar.Value, scalar.Style, scalar.Tag.IsEmpty ? null : scalar.Tag.Value));
            case SequenceStart start:
                return Remember(start.Anchor, ReadSequence(start, depth));
            case MappingStart start:
                return Remember(start.Anchor, ReadMapping(start, depth));
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    private YamlSequence ReadSequence(SequenceStart start, int depth)
    {
        _parser.MoveNext();
        var items = new List<YamlNode>();
        long weight = 1;
        while (!_parser.TryConsume<SequenceEnd>(out _))
        {
            var item = ReadNode(depth + 1);
            weight = AddWeight(weight, item, start);
            items.Add(item);
        }

        return new YamlSequence(At(start.Start), items, weight);
    }

    private YamlMapping ReadMapping(MappingStart start, int depth)
    {
        _parser.MoveNext();
        var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        long weight = 1;
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode(depth + 1);
            var value = ReadNode(depth + 1);
            if (keyNode is not YamlScalar key)
            {
                _diagnostics.Add(keyNode.Location, LoadErrors.KeyNotAName(keyNode.Kind));
                continue;
            }

            if (key.Value == "<<")
            {
                _diagnostics.Add(key.Location, LoadErrors.MergeKey());
                continue;
            }

            if (seen.TryGetValue(key.Value, out var first))
            {
                _diagnostics.Add(key.Location, LoadErrors.DuplicateKey(key.Value, first.Line));
                continue;
            }

            seen.Add(key.Value, key.Location);
            weight = AddWeight(weight, value, start);
            entries.Add(new KeyValuePair<YamlScalar, YamlNode>(key, value));
        }

        return new YamlMapping(At(start.Start), entries, weight);
    }

    private long AddWeight(long weight, YamlNode child, ParsingEvent owner)
    {
        var total = weight + child.Weight;
        if (total > MaxWeight)
        {
            throw new TreeTooLargeException(
                At(owner.Start),
                $"the YAML expands to more than {MaxWeight:N0} nodes (aliases of aliases?); refusing to load it");
        }

        return total;
    }

    private YamlNode Remember(AnchorName anchor, YamlNode node)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }

        return node;
    }

    private static (int Line, int Column)? FirstIndentTab(string text)
    {
        var line = 1;
        var column = 1;
        var inIndent = true;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                line++;
                column = 1;
                inIndent = true;
                continue;
            }

            if (inIndent && c == '\t')
            {
                return (line, column);
            }

            inIndent &= c == ' ';
            column++;
        }

        return null;
    }

    private SourceLocation At(Mark mark) => new(_file, (int)mark.Line, (int)mark.Column);

    private static string Describe(YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        message = message.StartsWith('(') && close > 0 ? message[(close + 3)..] : message;
        return message.Contains('\t', StringComparison.Ordinal) || message.Contains("tab", StringComparison.OrdinalIgnoreCase)
            ? message + " (YAML does not allow tabs for indentation; use spaces)"
            : message;
    }

    private sealed class TreeTooLargeException(SourceLocation location, string message) : Exception(message)
    {
        public SourceLocation Location { get; } = location;
    }
}
