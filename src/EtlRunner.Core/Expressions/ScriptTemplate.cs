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
        Names = template.HasErrors ? [] : ExpressionNames.Of(template.Page);
    }

    public string Source { get; }

    internal Template Template { get; }

    /// <summary>True when evaluation yields a typed value rather than text.</summary>
    public bool IsExpression { get; }

    public SourceLocation Location { get; }

    /// <summary>The names the template uses (variables, functions, system variables, record fields), read once at parse.</summary>
    internal IReadOnlyList<NameUse> Names { get; }

    /// <summary>The <c>target.member</c> (with '.', not '?.') whose member starts where <paramref name="span"/> does, if any.</summary>
    internal ScriptMemberExpression? MemberAt(SourceSpan span) => Members(Template.Page).FirstOrDefault(m =>
        m.Member is { } member && member.Span.Start.Offset == span.Start.Offset && m.DotToken?.TokenType != TokenType.QuestionDot);

    private static IEnumerable<ScriptMemberExpression> Members(ScriptNode? node)
    {
        if (node is null)
        {
            yield break;
        }

        if (node is ScriptMemberExpression member)
        {
            yield return member;
        }

        foreach (var child in node.Children.SelectMany(Members))
        {
            yield return child;
        }
    }

    /// <summary>Where a position inside the expression is in the pipeline file.</summary>
    public SourceLocation At(TextPosition position) => position.Line <= 0
        ? Location.Shift(Math.Max(0, position.Column))
        : Location with { Line = Location.Line + position.Line, Column = position.Column + 1 };

    /// <summary>
    /// True when the value may differ between runs of the same record: the template reads system (or jitterbit)
    /// variables, the clock (<c>date</c>) or a random value (<c>math.random</c>, <c>math.uuid</c>).
    /// </summary>
    public bool VariesBetweenRuns => _varies ??= Reads(Template.Page);

    private bool? _varies;

    private static bool Reads(ScriptNode? node) => node switch
    {
        null => false,
        ScriptVariableGlobal { Name: "system" or "jitterbit" or "date" } => true,
        ScriptMemberExpression { Target: ScriptVariableGlobal { Name: "math" }, Member.Name: "random" or "uuid" } => true,
        _ => Enumerable.Range(0, node.ChildrenCount).Any(i => Reads(node.GetChildren(i))),
    };

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

    private static ScriptTemplate Parse(string code, SourceLocation location, bool isExpression, DiagnosticBag diagnostics, string original)
    {
        var lexer = isExpression ? new LexerOptions { Mode = ScriptMode.ScriptOnly } : LexerOptions.Default;
        var template = Template.Parse(code, location.File, parserOptions: default, lexerOptions: lexer);
        var parsed = new ScriptTemplate(original, template, isExpression, location);
        foreach (var message in template.Messages.Where(m => m.Type == ParserMessageType.Error))
        {
            diagnostics.Add(parsed.At(message.Span.Start), ExpressionErrors.Syntax(Shorten(original), message.Message));
        }

        return parsed;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    [GeneratedRegex(@"^\s*\{\{-?(?<expr>(?:(?!\{\{|\}\}).)*?)-?\}\}\s*$", RegexOptions.Singleline)]
    private static partial Regex SingleExpression();
}
