using EtlRunner.Diagnostics;
using EtlRunner.Model;

namespace EtlRunner.Validation;

/// <summary>The on_success / on_failure links between operations: missing targets, loops, and the globals set upstream.</summary>
internal sealed class ChainGraph(PipelineDefinition pipeline)
{
    private readonly Dictionary<string, OperationDefinition> _byName = pipeline.Operations
        .GroupBy(o => o.Name.Value, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public void Check(DiagnosticBag diagnostics)
    {
        foreach (var operation in pipeline.Operations)
        {
            foreach (var (link, key) in Links(operation))
            {
                if (!_byName.ContainsKey(link.Value))
                {
                    diagnostics.Add(link.Location, ValidationErrors.NoSuchChainedOperation(key, operation.Name.Value, link.Value, _byName.Keys));
                }
            }
        }

        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in pipeline.Operations)
        {
            if (FindLoop(operation.Name.Value, []) is { } loop && reported.Add(string.Join(",", loop.Order(StringComparer.Ordinal))))
            {
                diagnostics.Add(operation.Location, ValidationErrors.ChainLoops(loop));
            }
        }
    }

    /// <summary>Global variable names set by <c>set:</c> in the operations that can lead to <paramref name="name"/>.</summary>
    public IReadOnlySet<string> UpstreamGlobals(string name)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([name]);
        while (pending.TryPop(out var current))
        {
            foreach (var parent in pipeline.Operations.Where(o => Links(o).Any(l => l.Link.Value == current)))
            {
                if (visited.Add(parent.Name.Value))
                {
                    result.UnionWith(parent.Set.Select(s => s.Name.Value));
                    pending.Push(parent.Name.Value);
                }
            }
        }

        return result;
    }

    private List<string>? FindLoop(string name, List<string> path)
    {
        var index = path.IndexOf(name);
        if (index >= 0)
        {
            return path[index..];
        }

        if (!_byName.TryGetValue(name, out var operation))
        {
            return null;
        }

        path.Add(name);
        foreach (var (link, _) in Links(operation))
        {
            if (FindLoop(link.Value, path) is { } loop)
            {
                return loop;
            }
        }

        path.RemoveAt(path.Count - 1);
        return null;
    }

    private static IEnumerable<(Located Link, string Key)> Links(OperationDefinition operation)
    {
        if (operation.OnSuccess is { } success)
        {
            yield return (success, "on_success");
        }

        if (operation.OnFailure is { } failure)
        {
            yield return (failure, "on_failure");
        }
    }
}
