namespace EtlRunner.Connectors.Tests.Support;

/// <summary>Builds the contexts a connector gets from the engine, from plain dictionaries of settings.</summary>
public static class Contexts
{
    public static ConnectionContext Connection(Dictionary<string, object?> connection) =>
        new("Test", new Settings(connection), new RunResources(), new MemoryConnectorState());

    /// <param name="preview">A dry run's target (<see cref="ActivityContext.Preview"/>).</param>
    public static ActivityContext Activity(ActivityKind kind, Dictionary<string, object?> connection, Dictionary<string, object?>? activity = null, bool preview = false) =>
        new("test operation", kind, new Settings(activity ?? []), Connection(connection)) { Preview = preview };

    public static Settings Settings(params (string Name, object? Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => v.Value));
}
