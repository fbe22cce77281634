using System.Globalization;
using System.Text;
using EtlRunner.Expressions;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// The <c>sql</c> of a query with each <c>[variable]</c> as a bound parameter (<c>$etl_ref_0</c>, ...), never spliced
/// in. A reference inside a string literal (<c>'%[name]%'</c>) becomes a concatenation with the bound text, so it
/// means what it did as text; one inside a comment is dropped; one inside a quoted name cannot be bound and is refused.
/// </summary>
internal sealed record SqliteBoundSql(string CommandText, IReadOnlyDictionary<string, object?> Values)
{
    private const string Prefix = "etl_ref_";

    private enum Context
    {
        Code,
        Text,
        Name,
        LineComment,
        BlockComment,
    }

    /// <summary>What is wrong with the statement's references, or null.</summary>
    public static string? Problem(BoundText sql) => Scan(sql).Problem;

    public static SqliteBoundSql From(BoundText sql)
    {
        var (bound, problem) = Scan(sql);
        return problem is null ? bound : throw new ArgumentException(problem);
    }

    private static (SqliteBoundSql Bound, string? Problem) Scan(BoundText sql)
    {
        var text = new StringBuilder();
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var context = Context.Code;
        var closeName = '\0';
        string? problem = null;
        for (var part = 0; part < sql.Literals.Count; part++)
        {
            var literal = sql.Literals[part];
            for (var i = 0; i < literal.Length; i++)
            {
                var c = literal[i];
                var next = i + 1 < literal.Length ? literal[i + 1] : '\0';
                text.Append(c);
                switch (context)
                {
                    case Context.Code when c == '\'':
                        context = Context.Text;
                        break;
                    case Context.Code when c is '"' or '`' or '[':
                        (context, closeName) = (Context.Name, c == '[' ? ']' : c);
                        break;
                    case Context.Code when c == '-' && next == '-':
                        context = Context.LineComment;
                        break;
                    case Context.Code when c == '/' && next == '*':
                        (context, i) = (Context.BlockComment, i + 1);
                        text.Append(next);
                        break;
                    case Context.Text when c == '\'' && next == '\'':
                    case Context.Name when c == closeName && next == closeName:
                        text.Append(next);
                        i++;
                        break;
                    case Context.Text when c == '\'':
                    case Context.Name when c == closeName:
                    case Context.LineComment when c == '\n':
                        context = Context.Code;
                        break;
                    case Context.BlockComment when c == '*' && next == '/':
                        (context, i) = (Context.Code, i + 1);
                        text.Append(next);
                        break;
                }
            }

            if (part == sql.Values.Count)
            {
                break;
            }

            var name = Prefix + part.ToString(CultureInfo.InvariantCulture);
            switch (context)
            {
                case Context.Code:
                    text.Append('$').Append(name);
                    values[name] = sql.Values[part];
                    break;
                case Context.Text:
                    text.Append("' || $").Append(name).Append(" || '");
                    values[name] = VariableScope.ToText(sql.Values[part]);
                    break;
                case Context.Name:
                    problem ??= "a [variable] inside a quoted name in sql cannot be bound as a value: name the table or column in the text, or read a whole table with table:";
                    break;
            }
        }

        return (new SqliteBoundSql(text.ToString(), values), problem);
    }
}
