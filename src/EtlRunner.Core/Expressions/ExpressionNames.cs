using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace EtlRunner.Expressions;

/// <summary>What a name in an expression refers to.</summary>
internal enum NameKind
{
    /// <summary>A project variable or a global set upstream (<c>newsletter_list</c>).</summary>
    Variable,

    /// <summary>A member of one of Scriban's built-in objects (<c>string.downcase</c>).</summary>
    Function,

    /// <summary>A system variable (<c>system.run.id</c>, <c>jitterbit.run.id</c>).</summary>
    System,

    /// <summary>A field of the record (<c>record.email_address.address</c>).</summary>
    Field,
}

/// <summary>One segment of a name as written: its text and where it starts in the expression.</summary>
internal sealed record NameSegment(string Name, TextPosition Position);

/// <summary>A name an expression uses: its kind and its segments after the root (<c>record</c>, <c>system</c>, <c>string</c>).</summary>
internal sealed record NameUse(NameKind Kind, string Root, IReadOnlyList<NameSegment> Path, TextPosition Position)
{
    public string Text => Path.Count == 0 ? Root : Root + "." + string.Join(".", Path.Select(p => p.Name));
}

/// <summary>
/// Walks a parsed expression once and lists the names it uses, so they can be checked before the first record.
/// Member chains are read whole (<c>record.a.b</c>, <c>record["first name"]</c>); a chain through a computed
/// index (<c>record.items[0].id</c>) is checked up to the index. Names the expression assigns itself
/// (<c>x = 1</c>, <c>for x in ...</c>) are local and not reported.
/// </summary>
internal static class ExpressionNames
{
    public const string Record = "record";

    /// <summary>Scriban's built-in functions and objects (<c>string</c>, <c>math</c>, <c>empty</c>, ...).</summary>
    public static IEnumerable<string> BuiltinNames => ScriptBuiltins.Names;

    /// <summary>The members of a built-in object (<c>string</c> → <c>downcase</c>, ...), or null when the name is not one.</summary>
    public static IReadOnlyCollection<string>? BuiltinMembers(string name) => ScriptBuiltins.MembersOf(name);

    public static IReadOnlyList<NameUse> Of(ScriptNode? root)
    {
        var uses = new List<NameUse>();
        if (root is not null)
        {
            var locals = new HashSet<string>(StringComparer.Ordinal);
            CollectLocals(root, locals);
            Walk(root, locals, uses);
        }

        return uses;
    }

    private static void CollectLocals(ScriptNode node, HashSet<string> locals)
    {
        switch (node)
        {
            case ScriptAssignExpression { Target: ScriptVariableGlobal assigned }:
                locals.Add(assigned.Name);
                break;
            case ScriptForStatement { Variable: ScriptVariableGlobal loop }:
                locals.Add(loop.Name);
                break;
        }

        foreach (var child in node.Children)
        {
            if (child is not null)
            {
                CollectLocals(child, locals);
            }
        }
    }

    private static void Walk(ScriptNode node, HashSet<string> locals, List<NameUse> uses)
    {
        switch (node)
        {
            case ScriptMemberExpression or ScriptIndexerExpression:
                Chain((ScriptExpression)node, locals, uses);
                return;
            case ScriptVariableGlobal variable:
                Root(variable, [], locals, uses);
                return;
            case ScriptObjectMember { Value: { } value }:
                Walk(value, locals, uses); // the member's name ({ city: ... }) is a key, not a variable
                return;
        }

        foreach (var child in node.Children)
        {
            if (child is not null)
            {
                Walk(child, locals, uses);
            }
        }
    }

    private static void Chain(ScriptExpression expression, HashSet<string> locals, List<NameUse> uses)
    {
        var path = new List<NameSegment>();
        var current = expression;
        while (true)
        {
            switch (current)
            {
                case ScriptMemberExpression { Member: { } member } access:
                    path.Insert(0, new NameSegment(member.Name, member.Span.Start));
                    current = access.Target;
                    continue;
                case ScriptIndexerExpression { Index: ScriptLiteral { Value: string key } } indexer:
                    path.Insert(0, new NameSegment(key, indexer.Index.Span.Start));
                    current = indexer.Target;
                    continue;
                case ScriptIndexerExpression indexer:
                    if (indexer.Index is not null)
                    {
                        Walk(indexer.Index, locals, uses);
                    }

                    path.Clear(); // what follows a computed index is not known
                    current = indexer.Target;
                    continue;
            }

            break;
        }

        if (current is ScriptVariableGlobal variable)
        {
            Root(variable, path, locals, uses);
        }
        else if (current is not null)
        {
            Walk(current, locals, uses);
        }
    }

    private static void Root(ScriptVariableGlobal variable, List<NameSegment> path, HashSet<string> locals, List<NameUse> uses)
    {
        var name = variable.Name;
        var at = variable.Span.Start;
        if (locals.Contains(name))
        {
            return;
        }

        if (name == Record)
        {
            uses.Add(new NameUse(NameKind.Field, name, path, at));
        }
        else if (SystemVariables.Prefixes.Any(p => p.AsSpan(0, p.Length - 1).SequenceEqual(name)))
        {
            uses.Add(new NameUse(NameKind.System, name, path, at));
        }
        else if (ScriptBuiltins.IsBuiltin(name))
        {
            if (path.Count > 0 && BuiltinMembers(name) is not null)
            {
                uses.Add(new NameUse(NameKind.Function, name, path[..1], at));
            }
        }
        else
        {
            uses.Add(new NameUse(NameKind.Variable, name, [], at));
        }
    }
}
