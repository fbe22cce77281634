using Scriban.Parsing;
using Scriban.Syntax;

namespace EtlRunner.Expressions.Compiled;

/// <summary>
/// Compiles the common shapes of transform expressions (record fields, literals, variables, comparisons,
/// boolean logic, <c>?:</c>, one-argument string functions, text with holes) into <see cref="CompiledNode"/>s.
/// Anything else returns null and runs on Scriban's interpreter, so behaviour never depends on the fast path.
/// </summary>
internal sealed class ScriptCompiler(IReadOnlyDictionary<string, object?> globals)
{
    private static readonly Dictionary<string, Func<string?, object?>> StringFunctions = new(StringComparer.Ordinal)
    {
        ["downcase"] = s => Scriban.Functions.StringFunctions.Downcase(s!),
        ["upcase"] = s => Scriban.Functions.StringFunctions.Upcase(s!),
        ["strip"] = s => Scriban.Functions.StringFunctions.Strip(s!),
        ["lstrip"] = s => Scriban.Functions.StringFunctions.LStrip(s!),
        ["rstrip"] = s => Scriban.Functions.StringFunctions.RStrip(s!),
        ["capitalize"] = s => Scriban.Functions.StringFunctions.Capitalize(s!),
        ["size"] = s => (long)Scriban.Functions.StringFunctions.Size(s!),
    };

    public CompiledNode? Compile(ScriptTemplate template)
    {
        var statements = template.Template.Page?.Body?.Statements;
        if (statements is null)
        {
            return null;
        }

        if (template.IsExpression)
        {
            return statements.Count == 1 && statements[0] is ScriptExpressionStatement single ? Expression(single.Expression) : null;
        }

        var parts = new List<CompiledNode>();
        foreach (var statement in statements)
        {
            if (statement is ScriptEscapeStatement)
            {
                continue; // the {{ and }} markers themselves: they render nothing
            }

            var part = statement switch
            {
                ScriptRawStatement raw => new ConstantNode(raw.Text.ToString()),
                ScriptExpressionStatement expression => Expression(expression.Expression),
                _ => null,
            };
            if (part is null)
            {
                return null;
            }

            parts.Add(part);
        }

        return new ConcatNode(parts);
    }

    private CompiledNode? Expression(ScriptExpression? expression) => expression switch
    {
        ScriptLiteral literal => new ConstantNode(literal.Value),
        ScriptNestedExpression nested => Expression(nested.Expression),
        ScriptVariableGlobal variable => Variable(variable.Name),
        ScriptMemberExpression member => Member(member),
        ScriptBinaryExpression binary when binary.Operator is not (ScriptBinaryOperator.EmptyCoalescing or ScriptBinaryOperator.NotEmptyCoalescing or ScriptBinaryOperator.Custom)
            => Both(Expression(binary.Left), Expression(binary.Right), (l, r) => new BinaryNode(l, binary.Operator, r, binary.Span)),
        ScriptUnaryExpression unary when unary.Operator is ScriptUnaryOperator.Not or ScriptUnaryOperator.Negate or ScriptUnaryOperator.Plus
            => Expression(unary.Right) is { } operand ? new UnaryNode(unary.Operator, operand, unary.Span) : null,
        ScriptConditionalExpression conditional
            => Expression(conditional.Condition) is { } c && Expression(conditional.ThenValue) is { } t && Expression(conditional.ElseValue) is { } e
                ? new ConditionalNode(c, t, e, conditional.Span)
                : null,
        ScriptPipeCall pipe => Function(pipe.To is ScriptFunctionCall { Arguments.Count: 0 } bare ? bare.Target : pipe.To, pipe.From),
        ScriptFunctionCall { Arguments.Count: 1 } call => Function(call.Target, call.Arguments[0]),
        _ => null,
    };

    private CompiledNode? Variable(string name)
    {
        if (name == "record")
        {
            return RecordNode.Instance;
        }

        // Project and global variables and system values are fixed for the operation: fold them in.
        return globals.TryGetValue(name, out var value) ? new ConstantNode(value) : null;
    }

    private CompiledNode? Member(ScriptMemberExpression member)
    {
        if (member.Target is ScriptVariableGlobal { Name: "string" } || member.Member?.Name is not { } name)
        {
            return null; // a function reference, only meaningful as a call
        }

        var target = Expression(member.Target);
        if (target is ConstantNode { Value: IReadOnlyDictionary<string, object?> constant })
        {
            return constant.TryGetValue(name, out var folded) ? new ConstantNode(folded) : null;
        }

        return target is null ? null : new MemberNode(target, name, member.DotToken?.TokenType == TokenType.QuestionDot, member.Member.Span);
    }

    private CompiledNode? Function(ScriptExpression? function, ScriptExpression? argument)
    {
        if (function is ScriptMemberExpression { Target: ScriptVariableGlobal { Name: "string" } } member
            && member.Member?.Name is { } name
            && StringFunctions.TryGetValue(name, out var call)
            && Expression(argument) is { } compiled)
        {
            return new StringFunctionNode(call, compiled);
        }

        return null;
    }

    private static CompiledNode? Both(CompiledNode? left, CompiledNode? right, Func<CompiledNode, CompiledNode, CompiledNode> make) =>
        left is not null && right is not null ? make(left, right) : null;
}
