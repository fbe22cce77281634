using System.Runtime.CompilerServices;
using EtlRunner.Connectors;
using Scriban;
using Scriban.Parsing;
using Scriban.Syntax;

namespace EtlRunner.Expressions.Compiled;

/// <summary>
/// A node of a compiled expression: evaluates directly against the record, with Scriban's own operator and
/// conversion functions, so the result is the same as the interpreter's, without walking the syntax tree.
/// </summary>
internal abstract class CompiledNode
{
    public abstract object? Evaluate(TemplateContext context, Record? record);
}

internal sealed class ConstantNode(object? value) : CompiledNode
{
    public object? Value { get; } = value;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override object? Evaluate(TemplateContext context, Record? record) => Value;
}

internal sealed class RecordNode : CompiledNode
{
    public static RecordNode Instance { get; } = new();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override object? Evaluate(TemplateContext context, Record? record) => record;
}

/// <summary>
/// <c>target.member</c>: dictionaries (records, nested objects) directly, anything else through Scriban's accessors.
/// <c>target?.member</c> (<paramref name="safe"/>; Scriban marks the rest of the chain safe too) reads null as null.
/// </summary>
/// <remarks>
/// A record's field is read by its position, found once per schema: the records of a source share one, so the name is
/// looked up once, not once per record.
/// </remarks>
internal sealed class MemberNode(CompiledNode target, string member, bool safe, SourceSpan memberSpan) : CompiledNode
{
    private FieldSlot? _slot;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override object? Evaluate(TemplateContext context, Record? record)
    {
        var value = target.Evaluate(context, record);
        switch (value)
        {
            case null when safe:
                return null;
            case null:
                // As the interpreter: reading a member of nothing with '.' is an error at the member, not a silent null.
                throw new ScriptRuntimeException(memberSpan, $"cannot read '{member}' of a null value");
            case Record fields:
                var slot = _slot;
                if (!ReferenceEquals(slot?.Schema, fields.Schema))
                {
                    _slot = slot = new FieldSlot(fields.Schema, fields.Schema.TryGetIndex(member, out var index) ? index : -1);
                }

                return slot!.Index < 0 ? null : fields.GetValue(slot.Index);
            case IReadOnlyDictionary<string, object?> dictionary:
                return dictionary.TryGetValue(member, out var result) ? result : null;
            default:
                var accessor = context.GetMemberAccessor(value);
                return accessor.TryGetValue(context, memberSpan, value, member, out var found) ? found : null;
        }
    }

    /// <summary>Where the member is in the records of one schema (-1: not a field of theirs).</summary>
    private sealed record FieldSlot(RecordSchema Schema, int Index);
}

internal sealed class BinaryNode(CompiledNode left, ScriptBinaryOperator op, CompiledNode right, SourceSpan span) : CompiledNode
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override object? Evaluate(TemplateContext context, Record? record)
    {
        switch (op)
        {
            case ScriptBinaryOperator.And:
                return context.ToBool(span, left.Evaluate(context, record)) && context.ToBool(span, right.Evaluate(context, record));
            case ScriptBinaryOperator.Or:
                return context.ToBool(span, left.Evaluate(context, record)) || context.ToBool(span, right.Evaluate(context, record));
            default:
                return ScriptBinaryExpression.Evaluate(context, span, op, left.Evaluate(context, record), right.Evaluate(context, record));
        }
    }
}

internal sealed class UnaryNode(ScriptUnaryOperator op, CompiledNode operand, SourceSpan span) : CompiledNode
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override object? Evaluate(TemplateContext context, Record? record) =>
        ScriptUnaryExpression.Evaluate(context, span, op, operand.Evaluate(context, record));
}

internal sealed class ConditionalNode(CompiledNode condition, CompiledNode then, CompiledNode otherwise, SourceSpan span) : CompiledNode
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override object? Evaluate(TemplateContext context, Record? record) =>
        context.ToBool(span, condition.Evaluate(context, record)) ? then.Evaluate(context, record) : otherwise.Evaluate(context, record);
}

/// <summary>A built-in string function of one argument (<c>string.downcase</c>, ...), called directly.</summary>
internal sealed class StringFunctionNode(Func<string?, object?> function, CompiledNode argument) : CompiledNode
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override object? Evaluate(TemplateContext context, Record? record) =>
        function(argument.Evaluate(context, record) switch
        {
            null => null,
            string text => text,
            var value => context.ObjectToString(value),
        });
}

/// <summary>A text template: raw text and expressions rendered as Scriban renders them.</summary>
internal sealed class ConcatNode(IReadOnlyList<CompiledNode> parts) : CompiledNode
{
    // A template that is one hole and nothing else ("{{ record.id }}"): its text is the value's own text, so a string
    // value is the result as it is, not copied into a new one (the same characters either way).
    private readonly CompiledNode? _single = parts is [var only] && only is not ConstantNode ? only : null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override object? Evaluate(TemplateContext context, Record? record)
    {
        if (_single is not null)
        {
            return _single.Evaluate(context, record) switch
            {
                null => string.Empty,
                string text => text,
                var value => context.ObjectToString(value),
            };
        }

        // Built on a pooled buffer: only the result is allocated.
        var builder = new DefaultInterpolatedStringHandler(0, parts.Count);
        foreach (var part in parts)
        {
            if (part is ConstantNode { Value: string text })
            {
                builder.AppendFormatted(text);
            }
            else if (part.Evaluate(context, record) is { } value)
            {
                builder.AppendFormatted(value as string ?? context.ObjectToString(value));
            }
        }

        return builder.ToStringAndClear();
    }
}
