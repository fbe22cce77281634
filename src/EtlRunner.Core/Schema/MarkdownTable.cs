using System.Globalization;
using System.Text;
using EtlRunner.Connectors;

namespace EtlRunner.Schema;

/// <summary>Markdown tables and the words the generated reference uses for types and values.</summary>
internal sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Row(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public void WriteTo(StringBuilder text)
    {
        text.Append("| ").AppendJoin(" | ", headers).Append(" |\n");
        text.Append('|').AppendJoin("|", headers.Select(_ => "---")).Append("|\n");
        foreach (var row in _rows)
        {
            text.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
        }

        text.Append('\n');
    }

    /// <summary>Text made safe for a table cell: <c>|</c>, <c>*</c> and <c>&lt;</c> escaped, line breaks as &lt;br&gt;.</summary>
    public static string Cell(string text) => text
        .Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("*", "\\*", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace("\n", "<br>", StringComparison.Ordinal);

    public static string Code(string text) => $"`{text}`";

    public static string TypeOf(ParameterSpec spec)
    {
        var type = spec.Type switch
        {
            ParameterType.String when spec.AllowedValues is { Count: > 0 } allowed => "one of " + string.Join(", ", allowed.Select(Code)),
            ParameterType.String => "text",
            ParameterType.Path => "path",
            ParameterType.Integer => "whole number" + Range(spec),
            ParameterType.Number => "number" + Range(spec),
            ParameterType.Duration => "duration",
            ParameterType.ChangeLimit => "count or percentage",
            ParameterType.Boolean => "true/false",
            ParameterType.StringList => "list",
            ParameterType.Map => "mapping",
            _ => spec.Type.ToString(),
        };
        return spec.Secret ? type + ", secret" : type;
    }

    public static string DefaultOf(ParameterSpec spec) => spec.Default switch
    {
        null => string.Empty,
        bool b => Code(b ? "true" : "false"),
        IFormattable f => Code(f.ToString(null, CultureInfo.InvariantCulture)),
        var other => Code(other.ToString() ?? string.Empty),
    };

    private static string Range(ParameterSpec spec) => (spec.Minimum, spec.Maximum) switch
    {
        ({ } min, { } max) => FormattableString.Invariant($", {min} to {max}"),
        ({ } min, null) => FormattableString.Invariant($", at least {min}"),
        (null, { } max) => FormattableString.Invariant($", at most {max}"),
        _ => string.Empty,
    };
}
