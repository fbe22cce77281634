using System.Collections.Concurrent;

namespace EtlRunner.Connectors;

/// <summary>
/// Objects shared by every operation of one run, such as one rate-limited HTTP client per connection.
/// Whatever is disposable is disposed when the run ends.
/// </summary>
public sealed class RunResources : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<object>> _items = new(StringComparer.Ordinal);

    public T GetOrCreate<T>(string key, Func<T> factory)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        var lazy = _items.GetOrAdd(key, _ => new Lazy<object>(() => factory(), LazyThreadSafetyMode.ExecutionAndPublication));
        return (T)lazy.Value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var item in _items.Values.Where(l => l.IsValueCreated).Select(l => l.Value))
        {
            switch (item)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        _items.Clear();
    }
}
