using System.Collections.Concurrent;
using EtlRunner.Connectors;

namespace EtlRunner.Testing;

/// <summary>An <see cref="IConnectorState"/> kept in memory, shared across the "runs" of a test.</summary>
public sealed class MemoryConnectorState : IConnectorState
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Values => _values;

    public string? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;

    public void Set(string key, string value) => _values[key] = value;
}
