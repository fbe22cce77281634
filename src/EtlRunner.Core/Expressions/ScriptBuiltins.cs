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
    private static readonly Dictionary<string, Func<object>> Makers = new(StringComparer.Ordinal)
    {
        ["array"] = () => new ArrayFunctions(),
        ["blank"] = () => EmptyScriptObject.Default,
        ["date"] = () => new DateTimeFunctions(),
        ["empty"] = () => EmptyScriptObject.Default,
        ["html"] = () => new HtmlFunctions(),
        ["include"] = () => new IncludeFunction(),
        ["include_join"] = () => new IncludeJoinFunction(),
        ["math"] = () => new MathFunctions(),
        ["object"] = () => new ObjectFunctions(),
        ["regex"] = () => new RegexFunctions(),
        ["string"] = () => new StringFunctions(),
        ["timespan"] = () => new TimeSpanFunctions(),
    };

    /// <summary>
    /// The members of each built-in object, for checking names before a run without making the objects; null for a
    /// name that is a function or has no members (<c>include</c>, <c>empty</c>). ScriptBuiltinsTests holds this equal
    /// to what Scriban's objects have.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>?> Members = new Dictionary<string, IReadOnlySet<string>?>(StringComparer.Ordinal)
    {
        ["array"] = Set("add add_range any compact concat contains cycle each filter first insert_at join last limit map offset remove_at reverse size sort uniq"),
        ["blank"] = null,
        ["date"] = Set("add_days add_hours add_milliseconds add_minutes add_months add_seconds add_years default_format format now parse parse_to_string to_string utc_now"),
        ["empty"] = null,
        ["html"] = Set("escape newline_to_br strip url_encode url_escape"),
        ["include"] = null,
        ["include_join"] = null,
        ["math"] = Set("abs ceil divided_by floor format is_number minus modulo plus random round times uuid"),
        ["object"] = Set("default eval eval_template format from_json has_key has_value keys kind size to_json typeof values"),
        ["regex"] = Set("escape match matches replace split unescape"),
        ["string"] = Set("append base64_decode base64_encode capitalize capitalizewords contains downcase empty ends_with equals_ignore_case escape handleize "
            + "hmac_sha1 hmac_sha256 hmac_sha512 index_of literal lstrip md5 pad_left pad_right pluralize prepend remove remove_first remove_last replace "
            + "replace_first rstrip sha1 sha256 sha512 size slice slice1 split starts_with strip strip_newlines to_double to_float to_int to_long truncate "
            + "truncatewords upcase whitespace"),
        ["timespan"] = Set("from_days from_hours from_milliseconds from_minutes from_seconds parse zero"),
    };

    public ScriptBuiltins()
        : base(Makers.Count)
    {
    }

    /// <summary>The names of the built-in objects and functions.</summary>
    public static IEnumerable<string> Names => Makers.Keys;

    public override bool Contains(string member) => Makers.ContainsKey(member) || base.Contains(member);

    public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value)
    {
        Make(member);
        return base.TryGetValue(context, span, member, out value);
    }

    /// <summary>A built-in is read-only, made or not: an expression cannot replace <c>string</c>.</summary>
    public override bool CanWrite(string member) => !Makers.ContainsKey(member) && base.CanWrite(member);

    private void Make(string member)
    {
        if (!base.Contains(member) && Makers.TryGetValue(member, out var make))
        {
            SetValue(member, make(), readOnly: true);
        }
    }

    private static HashSet<string> Set(string names) => new(names.Split(' '), StringComparer.Ordinal);
}
