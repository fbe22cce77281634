using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Loading;
using EtlRunner.Model;
using EtlRunner.Validation;

namespace EtlRunner.Testing;

/// <summary>Validation of the <c>tests:</c> section: each test names an operation, checks something, and uses only indexes and names that exist.</summary>
internal static class PipelineTestChecks
{
    public static void Check(PipelineDefinition pipeline, ChainGraph chains, ProjectVariables variables, DiagnosticBag diagnostics)
    {
        var operations = pipeline.Operations.Select(o => o.Name.Value).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var test in pipeline.Tests)
        {
            var what = $"test '{test.Name.Value}'";
            if (test.Name.Value.Length > 0 && !seen.Add(test.Name.Value))
            {
                diagnostics.Add(test.Name.Location, $"duplicate test name '{test.Name.Value}': each test needs its own name, so a failure says which one");
            }

            if (test.Expect is null && test.ExpectFiltered is null && test.ExpectRejected is null && test.ExpectGlobals is null)
            {
                diagnostics.Add(test.Location, $"{what} checks nothing: add expect, expect_filtered, expect_rejected or expect_globals");
            }

            CheckIndexes(test, what, diagnostics);
            if (test.Operation.Value.Length == 0)
            {
                continue; // reported as a missing required key
            }

            if (pipeline.FindOperation(test.Operation.Value) is not { } operation)
            {
                diagnostics.Add(test.Operation.Location, $"{what}: no operation named '{test.Operation.Value}'{Suggestions.DidYouMean(test.Operation.Value, operations)}; operations: {(operations.Count == 0 ? "none" : string.Join(", ", operations))}");
                continue;
            }

            CheckVariables(test, what, chains.UpstreamGlobals(operation.Name.Value), variables, diagnostics);
            var set = operation.Set.Select(s => s.Name.Value).ToList();
            foreach (var (name, _) in test.ExpectGlobals ?? [])
            {
                if (!set.Contains(name.Value, StringComparer.Ordinal))
                {
                    diagnostics.Add(name.Location, $"{what}: operation '{operation.Name.Value}' does not set '{name.Value}'{Suggestions.DidYouMean(name.Value, set)}; its 'set:' has {(set.Count == 0 ? "no entries" : string.Join(", ", set))}");
                }
            }
        }
    }

    private static void CheckIndexes(PipelineTestDefinition test, string what, DiagnosticBag diagnostics)
    {
        var given = test.Given.Count;
        var range = given == 0 ? "the test gives no records" : $"the test gives {given} record(s), indexes 0 to {given - 1}";
        foreach (var rejected in test.ExpectRejected ?? [])
        {
            if (rejected.Index >= given)
            {
                diagnostics.Add(rejected.Location, $"{what}: expect_rejected index {rejected.Index} is past the given records ({range})");
            }
        }

        if (test.ExpectFiltered is { } filtered && (filtered.Count > given || filtered.Indices?.Any(i => i >= given) == true))
        {
            diagnostics.Add(filtered.Location, $"{what}: expect_filtered goes past the given records ({range})");
        }
    }

    private static void CheckVariables(PipelineTestDefinition test, string what, IReadOnlySet<string> upstream, ProjectVariables variables, DiagnosticBag diagnostics)
    {
        foreach (var (name, value) in test.Variables)
        {
            if (variables.TryGet(name.Value, out _))
            {
                if (value.Value is IReadOnlyList<FieldValue> or IReadOnlyDictionary<string, FieldValue>)
                {
                    diagnostics.Add(value.Location, $"{what}: project variable '{name.Value}' takes a single value, as from --var");
                }
            }
            else if (!upstream.Contains(name.Value))
            {
                var known = variables.All.Select(v => v.Name).Concat(upstream).ToList();
                diagnostics.Add(name.Location, $"{what}: '{name.Value}' is neither a project variable nor a global set upstream of operation '{test.Operation.Value}'{Suggestions.DidYouMean(name.Value, known)}; known: {(known.Count == 0 ? "none" : string.Join(", ", known))}");
            }
        }
    }
}
