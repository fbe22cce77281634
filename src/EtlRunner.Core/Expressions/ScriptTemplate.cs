using System.Text.RegularExpressions;
using EtlRunner.Diagnostics;
using EtlRunner.Model;
using Scriban;
using Scriban.Parsing;
using Scriban.Syntax;

namespace EtlRunner.Expressions;

/// <summary>
/// A Scriban template or expression from the pipeline file, parsed once per run. A template that is exactly
/// one <c>{{ expression }}</c> yields the expression's typed value; any other template yields text.
/// </summary>
public sealed partial class ScriptTemplate
{
    private ScriptTemplate(string source, Template template, bool isExpression, SourceLocation location)
    {
        Source = source;
        Template = template;
        IsExpression = isExpression;
        Location = location;
    }

    public string Source { get; }

    internal Template Template { get; }

    /// <summary>True when evaluation yields a typed value rather than text.</summary>
    public bool IsExpression { get; }

    public SourceLocation Location { get; }

    /// <summary>Parses a <c>map</c> or <c>set</c> value.</summary>
    public static ScriptTemplate ParseTemplate(Located text, DiagnosticBag diagnostics)
    {
        var match = SingleExpression().Match(text.Value);
        if (match.Success)
        {
            var inner = match.Groups["expr"];
            return Parse(inner.Value, text.Location.Shift(inner.Index), isExpression: true, diagnostics, text.Value);
        }

        return Parse(text.Value, text.Location, isExpression: false, diagnostics, text.Value);
    }

    /// <summary>Parses a <c>where</c> expression (no braces).</summary>
    public static ScriptTemplate ParseExpression(Located text, DiagnosticBag diagnostics) =>
        Parse(text.Value, text.Location, isExpression: true, diagnostics, text.Value);

    /// <summary>The bare names the template reads (variables; also <c>record</c>, <c>system</c>, loop variables), each where it is.</summary>
    public IEnumerable<(string Name, SourceLocation Location)> Names()
    {
        var pending = new Stack<ScriptNode>(Template.Page is { } page ? [page] : []);
        while (pending.TryPop(out var node))
        {
            if (node is ScriptVariableGlobal variable)
            {
                yield return (variable.Name, At(Location, variable.Span.Start));
            }

            for (var i = 0; i < node.ChildrenCount; i++)
            {
                if (node.GetChildren(i) is { } child)
                {
                    pending.Push(child);
                }
            }
        }
    }

    /// <summary>Where a position inside the template's code is in the file.</summary>
    private static SourceLocation At(SourceLocation location, TextPosition position) => position.Line <= 0
        ? location.Shift(Math.Max(0, position.Column))
        : location with { Line = location.Line + position.Line, Column = position.Column + 1 };

    private static ScriptTemplate Parse(string code, SourceLocation location, bool isExpression, DiagnosticBag diagnostics, string original)
    {
        var lexer = isExpression ? new LexerOptions { Mode = ScriptMode.ScriptOnly } : LexerOptions.Default;
        var template = Template.Parse(code, location.File, parserOptions: default, lexerOptions: lexer);
        foreach (var message in template.Messages.Where(m => m.Type == ParserMessageType.Error))
        {
            diagnostics.Add(At(location, message.Span.Start), $"expression error in '{Shorten(original)}': {message.Message}");
        }

        return new ScriptTemplate(original, template, isExpression, location);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    [GeneratedRegex(@"^\s*\{\{-?(?<expr>(?:(?!\{\{|\}\}).)*?)-?\}\}\s*$", RegexOptions.Singleline)]
    private static partial Regex SingleExpression();
}
