using System.Globalization;

namespace EtlRunner.Connectors;

/// <summary>
/// Resolved connection fields or activity parameters: variables substituted, values converted to the
/// type their <see cref="ParameterSpec"/> declares, defaults applied, paths made absolute.
/// </summary>
public sealed class Settings
{
    private readonly IReadOnlyDictionary<string, object?> _values;

    public Settings(IReadOnlyDictionary<string, object?> values)
    {
        _values = values ?? throw new ArgumentNullException(nameof(values));
    }

    public static Settings Empty { get; } = new(new Dictionary<string, object?>());

    public IEnumerable<string> Names => _values.Keys;

    public bool Has(string name) => _values.TryGetValue(name, out var value) && value is not null;

    public object? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    public string? GetString(string name) => Get(name) switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    public string GetRequiredString(string name) =>
        GetString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The setting '{name}' is required.");

    public long? GetInt64(string name) => Get(name) switch
    {
        null => null,
        long l => l,
        int i => i,
        double d => (long)d,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        var other => throw new InvalidOperationException($"The setting '{name}' is not a whole number: {other}."),
    };

    /// <summary>A <see cref="ParameterType.Duration"/> setting (bound, or its default as written); null when absent.</summary>
    public TimeSpan? GetDuration(string name) => Get(name) switch
    {
        null => null,
        TimeSpan t => t,
        var other => DurationText.Parse(Convert.ToString(other, CultureInfo.InvariantCulture))
            ?? throw new InvalidOperationException($"The setting '{name}' is not a duration: {other}."),
    };

    /// <summary>A <see cref="ParameterType.ChangeLimit"/> setting; null when absent or not a count or percentage.</summary>
    public ChangeLimit? GetChangeLimit(string name) => Get(name) switch
    {
        null => null,
        ChangeLimit limit => limit,
        long count => new ChangeLimit(count, null),
        var other => ChangeLimit.TryParse(Convert.ToString(other, CultureInfo.InvariantCulture)),
    };

    public int GetInt32(string name, int defaultValue) => (int)(GetInt64(name) ?? defaultValue);

    public double? GetDouble(string name) => Get(name) switch
    {
        null => null,
        double d => d,
        long l => l,
        int i => i,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        var other => throw new InvalidOperationException($"The setting '{name}' is not a number: {other}."),
    };

    public bool GetBoolean(string name, bool defaultValue) => Get(name) switch
    {
        null => defaultValue,
        bool b => b,
        string s when bool.TryParse(s, out var parsed) => parsed,
        var other => throw new InvalidOperationException($"The setting '{name}' is not true or false: {other}."),
    };

    public IReadOnlyList<string> GetStringList(string name) => Get(name) switch
    {
        null => [],
        IReadOnlyList<string> list => list,
        string s => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        IEnumerable<object?> items => [.. items.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture) ?? string.Empty)],
        var other => [other.ToString() ?? string.Empty],
    };

    /// <summary>A <see cref="ParameterSpec.Bound"/> text with its values; text given as a plain string has none.</summary>
    public BoundText? GetBoundText(string name) => Get(name) switch
    {
        null => null,
        BoundText bound => bound,
        _ => new BoundText(GetString(name)!, [GetString(name)!], []),
    };

    public IReadOnlyDictionary<string, object?> GetMap(string name) =>
        Get(name) as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>();
}
