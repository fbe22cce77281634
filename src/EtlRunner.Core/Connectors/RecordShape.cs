namespace EtlRunner.Connectors;

/// <summary>
/// The fields a source's records have, as far as the connector knows them: their names and, for a nested
/// object (<c>email_address</c>), its own fields. A field whose inside is not described (a scalar, a list, an
/// object of free-form keys) has no nested shape, and nothing below it is checked.
/// </summary>
/// <remarks>
/// Expressions are checked against it before the first record is written: an unknown field is an error
/// naming the fields, never a silent null. A field that is known but absent from one record is still null.
/// </remarks>
public sealed class RecordShape
{
    private readonly Dictionary<string, RecordShape?> _fields;

    public RecordShape(IEnumerable<KeyValuePair<string, RecordShape?>> fields, string description)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = new Dictionary<string, RecordShape?>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var (name, nested) in fields)
        {
            if (_fields.TryAdd(name, nested))
            {
                names.Add(name);
            }
        }

        Names = names;
        Description = description;
    }

    /// <summary>The field names, in the order the records carry them.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Where the fields come from, for messages: "the header of signups.csv", "the contact resource".</summary>
    public string Description { get; }

    /// <summary>Fields without nested shapes: a CSV header, the columns of a query.</summary>
    public static RecordShape Flat(IEnumerable<string> names, string description) =>
        new(names.Select(n => KeyValuePair.Create(n, (RecordShape?)null)), description);

    /// <summary>True when the records have the field; <paramref name="nested"/> is its own shape when described.</summary>
    public bool TryGetField(string name, out RecordShape? nested) => _fields.TryGetValue(name, out nested);
}
