using System.Collections.Concurrent;

namespace EtlRunner.Connectors.ConstantContact.Tests.Support;

/// <summary>An <see cref="IConnectorState"/> kept in memory, shared across the "runs" of a test.</summary>
internal sealed class MemoryState : IConnectorState
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Values => _values;

    public string? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;

    public void Set(string key, string value) => _values[key] = value;
}
