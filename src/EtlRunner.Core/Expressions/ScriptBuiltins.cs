using Scriban;
using Scriban.Functions;
using Scriban.Parsing;
using Scriban.Runtime;

namespace EtlRunner.Expressions;

/// <summary>
/// Scriban's built-in objects and functions (<c>string</c>, <c>math</c>, <c>date</c>, <c>empty</c>, ...), the same as
/// its <see cref="BuiltinFunctions"/>, as a template context's builtins: each is made the first time an expression
/// looks it up. Making them all at once (what <see cref="BuiltinFunctions"/> does) imports every function of every one
/// by reflection, a third of the CPU of a 1,000-row run, for expressions that mostly call none of them or one (and
/// the compiled string functions are called directly, without a lookup).
/// </summary>
internal sealed class ScriptBuiltins : ScriptObject
{
    // Each built-in: how to make it, and its members (null for a function or an object without members: include,
    // empty), which names are checked against before a run without making anything. ScriptBuiltinsTests holds these
    // equal to Scriban's.
    private static readonly Dictionary<string, (Func<object> Make, IReadOnlySet<string>? Members)> Builtins = new(StringComparer.Ordinal)
    {
        ["array"] = (() => new ArrayFunctions(), Set("add add_range any compact concat contains cycle each filter first insert_at join last limit map offset remove_at reverse size sort uniq")),
        ["blank"] = (() => EmptyScriptObject.Default, null),
        ["date"] = (() => new DateTimeFunctions(), Set("add_days add_hours add_milliseconds add_minutes add_months add_seconds add_years default_format format now parse parse_to_string to_string utc_now")),
        ["empty"] = (() => EmptyScriptObject.Default, null),
        ["html"] = (() => new HtmlFunctions(), Set("escape newline_to_br strip url_encode url_escape")),
        ["include"] = (() => new IncludeFunction(), null),
        ["include_join"] = (() => new IncludeJoinFunction(), null),
        ["math"] = (() => new MathFunctions(), Set("abs ceil divided_by floor format is_number minus modulo plus random round times uuid")),
        ["object"] = (() => new ObjectFunctions(), Set("default eval eval_template format from_json has_key has_value keys kind size to_json typeof values")),
        ["regex"] = (() => new RegexFunctions(), Set("escape match matches replace split unescape")),
        ["string"] = (() => new StringFunctions(), Set("append base64_decode base64_encode capitalize capitalizewords contains downcase empty ends_with equals_ignore_case escape handleize "
            + "hmac_sha1 hmac_sha256 hmac_sha512 index_of literal lstrip md5 pad_left pad_right pluralize prepend remove remove_first remove_last replace "
            + "replace_first rstrip sha1 sha256 sha512 size slice slice1 split starts_with strip strip_newlines to_double to_float to_int to_long truncate "
            + "truncatewords upcase whitespace")),
        ["timespan"] = (() => new TimeSpanFunctions(), Set("from_days from_hours from_milliseconds from_minutes from_seconds parse zero")),
    };

    public ScriptBuiltins()
        : base(Builtins.Count)
    {
    }

    /// <summary>The names of the built-in objects and functions.</summary>
    public static IEnumerable<string> Names => Builtins.Keys;

    /// <summary>Whether <paramref name="name"/> is a built-in.</summary>
    public static bool IsBuiltin(string name) => Builtins.ContainsKey(name);

    /// <summary>The members of a built-in object (<c>string</c> → <c>downcase</c>, ...), or null when the name is not one.</summary>
    public static IReadOnlySet<string>? MembersOf(string name) => Builtins.GetValueOrDefault(name).Members;

    public override bool Contains(string member) => IsBuiltin(member) || base.Contains(member);

    public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value)
    {
        Make(member);
        return base.TryGetValue(context, span, member, out value);
    }

    /// <summary>A built-in is read-only whether it is made yet or not, as Scriban's are (an assignment to <c>string</c> shadows it instead).</summary>
    public override bool CanWrite(string member) => !IsBuiltin(member) && base.CanWrite(member);

    private void Make(string member)
    {
        if (!base.Contains(member) && Builtins.TryGetValue(member, out var builtin))
        {
            SetValue(member, builtin.Make(), readOnly: true);
        }
    }

    private static HashSet<string> Set(string names) => new(names.Split(' '), StringComparer.Ordinal);
}
