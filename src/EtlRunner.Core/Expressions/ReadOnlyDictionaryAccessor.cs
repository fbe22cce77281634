using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace EtlRunner.Expressions;

/// <summary>Lets expressions read records and nested objects (<c>record.email_address.address</c>) without reflection.</summary>
internal sealed class ReadOnlyDictionaryAccessor : IObjectAccessor
{
    public static ReadOnlyDictionaryAccessor Instance { get; } = new();

    public bool HasIndexer => true;

    public Type IndexType => typeof(string);

    public int GetMemberCount(TemplateContext context, SourceSpan span, object target) => Dictionary(target).Count;

    public IEnumerable<string> GetMembers(TemplateContext context, SourceSpan span, object target) => Dictionary(target).Keys;

    public bool HasMember(TemplateContext context, SourceSpan span, object target, string member) => Dictionary(target).ContainsKey(member);

    public bool TryGetValue(TemplateContext context, SourceSpan span, object target, string member, out object? value) =>
        Dictionary(target).TryGetValue(member, out value);

    public bool TrySetValue(TemplateContext context, SourceSpan span, object target, string member, object? value) => false;

    public bool TryGetItem(TemplateContext context, SourceSpan span, object target, object index, out object? value) =>
        Dictionary(target).TryGetValue(Convert.ToString(index, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, out value);

    public bool TrySetItem(TemplateContext context, SourceSpan span, object target, object index, object? value) => false;

    private static IReadOnlyDictionary<string, object?> Dictionary(object target) => (IReadOnlyDictionary<string, object?>)target;
}
