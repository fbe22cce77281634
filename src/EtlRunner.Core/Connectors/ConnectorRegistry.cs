namespace EtlRunner.Connectors;

/// <summary>Connector types by name. The CLI registers the built-in ones; tests register what they need.</summary>
public sealed class ConnectorRegistry
{
    private readonly Dictionary<string, IConnector> _connectors = new(StringComparer.Ordinal);

    public ConnectorRegistry Add(IConnector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        if (connector.Descriptor.Sandbox?.Problems(connector.Descriptor).ToList() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException($"The {connector.Descriptor.Type} connector cannot be registered: {string.Join("; ", problems)}.");
        }

        if (!_connectors.TryAdd(connector.Descriptor.Type, connector))
        {
            throw new InvalidOperationException($"A connector of type '{connector.Descriptor.Type}' is already registered.");
        }

        return this;
    }

    public IReadOnlyCollection<string> Types => _connectors.Keys;

    public IEnumerable<IConnector> All => _connectors.Values;

    public bool TryGet(string type, out IConnector connector) => _connectors.TryGetValue(type, out connector!);

    public IConnector Get(string type) =>
        _connectors.TryGetValue(type, out var connector)
            ? connector
            : throw new KeyNotFoundException($"Unknown connector type '{type}'. Known types: {string.Join(", ", _connectors.Keys)}.");
}
