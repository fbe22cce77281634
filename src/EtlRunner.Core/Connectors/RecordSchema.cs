namespace EtlRunner.Connectors;

/// <summary>The ordered field names of a family of records. Create one per source or map and share it.</summary>
public sealed class RecordSchema
{
    private readonly Dictionary<string, int> _index;

    public RecordSchema(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        Names = [.. names];
        _index = new Dictionary<string, int>(Names.Count, StringComparer.Ordinal);
        for (var i = 0; i < Names.Count; i++)
        {
            if (!_index.TryAdd(Names[i], i))
            {
                throw new ArgumentException($"The field '{Names[i]}' appears twice.", nameof(names));
            }
        }
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// Fields whose values are not a function of the source record (a map that reads the run, the clock or a random
    /// value): two runs of the same input give them different values, so a target checking whether a record is the row
    /// an interrupted attempt wrote compares the other fields only.
    /// </summary>
    public IReadOnlySet<string> Varying { get; init; } = new HashSet<string>();

    public int Count => Names.Count;

    public bool TryGetIndex(string name, out int index) => _index.TryGetValue(name, out index);
}
