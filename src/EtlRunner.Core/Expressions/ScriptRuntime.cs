using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using EtlRunner.Connectors;
using EtlRunner.Expressions.Compiled;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace EtlRunner.Expressions;

/// <summary>An expression failed on a record (a runtime error or a limit reached).</summary>
public sealed class ScriptEvaluationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Evaluates <see cref="ScriptTemplate"/>s for one worker. Variables are reachable by bare name (globals shadow
/// project variables), system variables under <c>system.</c> and <c>jitterbit.</c>, the record as <c>record</c>.
/// Not thread-safe: create one per worker. Expressions cannot reach files, the environment or .NET reflection:
/// only the values given here and Scriban's built-in functions exist, and includes are refused.
/// </summary>
public sealed class ScriptRuntime
{
    private readonly SandboxedContext _context;
    private readonly ScriptObject _globals;
    private readonly Dictionary<ScriptTemplate, CompiledNode?> _compiled = [];
    private readonly ScriptCompiler _compiler;
    private readonly TimeSpan _regexTimeout;

    public ScriptRuntime(VariableScope scope, ScriptLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        limits ??= ScriptLimits.Default;
        _globals = [];
        foreach (var variable in scope.Project.All.Where(v => v.HasValue))
        {
            _globals.SetValue(variable.Name, variable.Value, readOnly: true);
        }

        foreach (var (name, value) in scope.Globals)
        {
            _globals.SetValue(name, value, readOnly: true);
        }

        var system = scope.System.ToTree();
        _globals.SetValue("system", system, readOnly: true);
        _globals.SetValue("jitterbit", system, readOnly: true);
        _globals.SetValue("record", null, readOnly: false);

        _context = new SandboxedContext(new ScriptBuiltins())
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = true,
            LoopLimit = limits.LoopLimit,
            RecursiveLimit = limits.RecursiveLimit,
            ObjectRecursionLimit = limits.ObjectRecursionLimit,
            LimitToString = limits.MaxStringLength,
            RegexTimeOut = limits.RegexTimeout,
            TemplateLoader = null,
        };
        _context.PushGlobal(_globals);
        var constants = _globals.Where(e => e.Key != "record").ToDictionary(e => e.Key, e => e.Value is ScriptObject ? null : e.Value, StringComparer.Ordinal);
        _compiler = new ScriptCompiler(constants);
        _regexTimeout = limits.RegexTimeout;
    }

    /// <summary>Use the compiled fast path where a template allows it (on by default; tests compare both paths).</summary>
    public bool UseCompiled { get; init; } = true;

    /// <summary>Evaluates a template against a record: a typed value for a single expression, text otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public object? Evaluate(ScriptTemplate template, Record? record)
    {
        try
        {
            if (UseCompiled && Compiled(template) is { } compiled)
            {
                var value = compiled.Evaluate(_context, record);
                return template.IsExpression ? Normalize(value) : value;
            }

            _globals.SetValue("record", record, readOnly: false);
            if (template.IsExpression)
            {
                return Normalize(template.Template.Evaluate(_context));
            }

            return template.Template.Render(_context);
        }
        catch (Exception ex) when (ex is RegexMatchTimeoutException || ex.InnerException is RegexMatchTimeoutException)
        {
            throw new ScriptEvaluationException($"'{template.Source}': a regular expression ran longer than {_regexTimeout.TotalSeconds:0.###}s on this record (the limit per record); simplify the pattern", ex);
        }
        catch (ScriptRuntimeException ex)
        {
            throw new ScriptEvaluationException(NullTarget(template, ex, record) ?? $"'{template.Source}': {ex.OriginalMessage}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new ScriptEvaluationException($"'{template.Source}': {ex.Message}", ex);
        }
    }

    /// <summary>Reading a member of null with '.', on either path: which path was null in which record, and how to read it as null.</summary>
    private string? NullTarget(ScriptTemplate template, ScriptRuntimeException ex, Record? record)
    {
        if (template.MemberAt(ex.Span) is not { Target: { } target, Member: { } member })
        {
            return null;
        }

        _globals.SetValue("record", record, readOnly: false);
        try
        {
            if (_context.Evaluate(target) is not null)
            {
                return null;
            }
        }
        catch (ScriptRuntimeException)
        {
            return null;
        }

        return $"'{template.Source}': {target} is null in {record?.Origin ?? "the record"}; write {target}?.{member.Name} to read it as null";
    }

    private CompiledNode? Compiled(ScriptTemplate template)
    {
        if (!_compiled.TryGetValue(template, out var node))
        {
            node = _compiler.Compile(template);
            _compiled[template] = node;
        }

        return node;
    }

    /// <summary>Evaluates a <c>where</c> condition: only <c>true</c> keeps the record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsTrue(ScriptTemplate condition, Record record) => Evaluate(condition, record) switch
    {
        bool b => b,
        null => false,
        var other => throw new ScriptEvaluationException($"'{condition.Source}' must be true or false, but gave {Describe(other)}"),
    };

    private static string Describe(object value) => value is string s ? $"the text \"{s}\"" : $"{value} ({value.GetType().Name})";

    /// <summary>Turns Scriban's runtime values into plain record values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static object? Normalize(object? value) => value switch
    {
        null => null,
        string or bool or long or double or decimal => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        float f => (double)f,
        BigInteger big => big >= long.MinValue && big <= long.MaxValue ? (long)big : big.ToString(CultureInfo.InvariantCulture),
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("O", CultureInfo.InvariantCulture),
        IReadOnlyDictionary<string, object?> dictionary => dictionary,
        ScriptObject obj => obj.ToDictionary(e => e.Key, e => Normalize(e.Value), StringComparer.Ordinal),
        IDictionary dictionary => dictionary.Keys.Cast<object>().ToDictionary(k => Convert.ToString(k, CultureInfo.InvariantCulture)!, k => Normalize(dictionary[k]), StringComparer.Ordinal),
        IEnumerable items => items.Cast<object?>().Select(Normalize).ToList(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private sealed class SandboxedContext(ScriptObject builtins) : TemplateContext(builtins)
    {
        protected override IObjectAccessor GetMemberAccessorImpl(object target) =>
            target is IReadOnlyDictionary<string, object?> ? ReadOnlyDictionaryAccessor.Instance : base.GetMemberAccessorImpl(target)!;
    }
}
