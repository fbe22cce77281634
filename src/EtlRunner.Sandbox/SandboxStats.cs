using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace EtlRunner.Sandbox;

/// <summary>
/// Thread-safe request counters per "METHOD /route-template" and status code (also served at GET /_sandbox/stats).
/// Requests to /_sandbox/* are not counted.
/// </summary>
public sealed class SandboxStats
{
    private readonly ConcurrentDictionary<(string Route, int Status), long> _counts = new();
    private readonly ConcurrentDictionary<FaultKind, long> _faults = new();
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>Requests to a route, e.g. <c>Count("POST /v3/contacts")</c>.</summary>
    public long Count(string route) => _counts.Where(c => c.Key.Route == route).Sum(c => c.Value);

    public long Count(string route, int status) => _counts.GetValueOrDefault((route, status));

    /// <summary>Requests answered with <paramref name="status"/>, all routes together.</summary>
    public long CountStatus(int status) => _counts.Where(c => c.Key.Status == status).Sum(c => c.Value);

    /// <summary>Faults of a kind injected so far.</summary>
    public long Faults(FaultKind kind) => _faults.GetValueOrDefault(kind);

    /// <summary>A snapshot: route → status → count.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<int, long>> Snapshot() =>
        _counts.GroupBy(c => c.Key.Route, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<int, long>)g.ToDictionary(c => c.Key.Status, c => c.Value),
                StringComparer.Ordinal);

    public void Reset()
    {
        _counts.Clear();
        _faults.Clear();
        Interlocked.Exchange(ref _total, 0);
    }

    public string ToJson()
    {
        var routes = new JsonObject();
        foreach (var (route, statuses) in Snapshot().OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var byStatus = new JsonObject();
            foreach (var (status, count) in statuses.OrderBy(s => s.Key))
            {
                byStatus[status.ToString(CultureInfo.InvariantCulture)] = count;
            }

            routes[route] = new JsonObject { ["total"] = statuses.Values.Sum(), ["statuses"] = byStatus };
        }

        var faults = new JsonObject();
        foreach (var (kind, count) in _faults.OrderBy(f => f.Key))
        {
            faults[kind.ToString()] = count;
        }

        return new JsonObject { ["total"] = Total, ["routes"] = routes, ["faults"] = faults }.ToJsonString();
    }

    /// <summary>A readable table: one line per route with its status counts.</summary>
    public string Format()
    {
        var snapshot = Snapshot().OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        var width = snapshot.Select(r => r.Key.Length).DefaultIfEmpty(5).Max();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"ROUTE".PadRight(width)}  {"TOTAL",7}  STATUSES\n");
        foreach (var (route, statuses) in snapshot)
        {
            var detail = string.Join("  ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"));
            text.Append(CultureInfo.InvariantCulture, $"{route.PadRight(width)}  {statuses.Values.Sum(),7}  {detail}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{"ALL".PadRight(width)}  {Total,7}");
        if (!_faults.IsEmpty)
        {
            text.Append("  faults: ").AppendJoin("  ", _faults.OrderBy(f => f.Key).Select(f => $"{f.Key}={f.Value}"));
        }

        return text.Append('\n').ToString();
    }

    internal void Record(string route, int status)
    {
        _counts.AddOrUpdate((route, status), 1, (_, n) => n + 1);
        Interlocked.Increment(ref _total);
    }

    internal void RecordFault(FaultKind kind) => _faults.AddOrUpdate(kind, 1, (_, n) => n + 1);
}
