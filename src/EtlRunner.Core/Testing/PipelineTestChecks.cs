using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
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
                diagnostics.Add(test.Name.Location, ValidationErrors.DuplicateTestName(test.Name.Value));
            }

            if (test.Expect is null && test.ExpectFiltered is null && test.ExpectRejected is null && test.ExpectGlobals is null)
            {
                diagnostics.Add(test.Location, ValidationErrors.TestChecksNothing(what));
            }

            CheckIndexes(test, what, diagnostics);
            if (test.Operation.Value.Length == 0)
            {
                continue; // reported as a missing required key
            }

            if (pipeline.FindOperation(test.Operation.Value) is not { } operation)
            {
                diagnostics.Add(test.Operation.Location, ValidationErrors.TestOfNoOperation(what, test.Operation.Value, operations));
                continue;
            }

            CheckVariables(test, what, chains.UpstreamGlobals(operation.Name.Value), variables, diagnostics);
            var set = operation.Set.Select(s => s.Name.Value).ToList();
            foreach (var (name, _) in test.ExpectGlobals ?? [])
            {
                if (!set.Contains(name.Value, StringComparer.Ordinal))
                {
                    diagnostics.Add(name.Location, ValidationErrors.NotSetByOperation(what, operation.Name.Value, name.Value, set));
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
                diagnostics.Add(rejected.Location, ValidationErrors.RejectedIndexPastGiven(what, rejected.Index, range));
            }
        }

        if (test.ExpectFiltered is { } filtered && (filtered.Count > given || filtered.Indices?.Any(i => i >= given) == true))
        {
            diagnostics.Add(filtered.Location, ValidationErrors.FilteredPastGiven(what, range));
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
                    diagnostics.Add(value.Location, ValidationErrors.VariableTakesOneValue(what, name.Value));
                }
            }
            else if (!upstream.Contains(name.Value))
            {
                var known = variables.All.Select(v => v.Name).Concat(upstream).ToList();
                diagnostics.Add(name.Location, ValidationErrors.UnknownTestVariable(what, name.Value, test.Operation.Value, known));
            }
        }
    }
}
