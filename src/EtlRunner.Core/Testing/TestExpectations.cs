using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Planning;

namespace EtlRunner.Testing;

/// <summary>What a test's given records became: each one reached the target, was filtered or was rejected.</summary>
internal sealed class TestOutcome
{
    public List<(int Given, Record Record)> Written { get; } = [];

    public List<int> Filtered { get; } = [];

    public Dictionary<int, string> Rejected { get; } = [];

    /// <summary>What happened to given record <paramref name="index"/>, in words.</summary>
    public string Fate(int index) =>
        Rejected.TryGetValue(index, out var reason) ? $"given[{index}] was rejected: {reason}"
        : Filtered.Contains(index) ? $"given[{index}] was filtered by 'where'"
        : $"given[{index}] reached the target as record {Written.FindIndex(w => w.Given == index)}";
}

/// <summary>Compares a test's expectations with its outcome; each difference is a <see cref="TestFailure"/> at the expectation concerned.</summary>
internal sealed class TestExpectations(PipelineTestDefinition test, TestOutcome outcome)
{
    private readonly List<TestFailure> _failures = [];

    public List<TestFailure> Check()
    {
        if (test.Expect is { } expect)
        {
            Records(expect);
        }

        if (test.ExpectFiltered is { } filtered)
        {
            Filtered(filtered);
        }

        Rejected(test.ExpectRejected ?? []);
        return _failures;
    }

    /// <summary>The globals the operation's <c>set:</c> produces, evaluated as the run does when it succeeds.</summary>
    public static IEnumerable<TestFailure> Globals(OperationDefinition operation, VariableScope scope, IReadOnlyList<KeyValuePair<Located, FieldValue>> expected)
    {
        List<KeyValuePair<string, object?>> produced;
        try
        {
            produced = PipelineRunner.EvaluateSet(OperationPlanner.ParseSet(operation, new DiagnosticBag()), scope);
        }
        catch (ScriptEvaluationException ex)
        {
            return [new TestFailure(expected[0].Key.Location, "set failed: " + ex.Message)];
        }

        var values = produced.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var failures = new List<TestFailure>();
        foreach (var (name, value) in expected)
        {
            var diffs = new List<FieldDiff>();
            ValueDiff.Compare(name.Value, value.ToPlain(), values.GetValueOrDefault(name.Value), diffs);
            if (diffs.Count > 0)
            {
                failures.Add(new TestFailure(name.Location, $"global '{name.Value}' differs") { Fields = diffs });
            }
        }

        return failures;
    }

    private void Records(IReadOnlyList<FieldValue> expect)
    {
        var written = outcome.Written;
        if (expect.Count != written.Count)
        {
            var lost = Enumerable.Range(0, test.Given.Count).Where(i => written.All(w => w.Given != i)).Select(outcome.Fate);
            var at = written.Count < expect.Count ? expect[written.Count].Location : test.Location;
            _failures.Add(new TestFailure(at, $"expected {expect.Count} record(s) at the target, got {written.Count}" + string.Concat(lost.Select(l => "; " + l))));
        }

        for (var i = 0; i < Math.Min(expect.Count, written.Count); i++)
        {
            var expected = (IReadOnlyDictionary<string, object?>)expect[i].ToPlain()!;
            var (given, record) = written[i];
            var diffs = ValueDiff.Record(expected, record);
            if (diffs.Count > 0)
            {
                _failures.Add(new TestFailure(expect[i].Location, $"record {i} at the target (from given[{given}]) differs") { Record = i, Given = given, Fields = diffs });
            }
        }

        for (var i = expect.Count; i < written.Count; i++)
        {
            var (given, record) = written[i];
            _failures.Add(new TestFailure(test.Location, $"record {i} reached the target (from given[{given}]) but is not expected: {JsonValues.ToText(record)}") { Record = i, Given = given });
        }
    }

    private void Filtered(FilteredExpectation expected)
    {
        var actual = outcome.Filtered;
        var described = actual.Count == 0 ? "none" : string.Join(", ", actual.Select(i => $"given[{i}]"));
        if (expected.Count is { } count && count != actual.Count)
        {
            _failures.Add(new TestFailure(expected.Location, $"expected {count} record(s) filtered, got {actual.Count} ({described})"));
        }

        if (expected.Indices is { } indices && !indices.Order().SequenceEqual(actual))
        {
            var wrong = indices.Except(actual).Select(outcome.Fate).Concat(actual.Except(indices).Select(outcome.Fate));
            _failures.Add(new TestFailure(expected.Location, $"expected given[{string.Join("], given[", indices)}] filtered, got {described}: {string.Join("; ", wrong)}"));
        }
    }

    private void Rejected(IReadOnlyList<RejectExpectation> expected)
    {
        foreach (var expectation in expected)
        {
            if (!outcome.Rejected.TryGetValue(expectation.Index, out var reason))
            {
                _failures.Add(new TestFailure(expectation.Location, $"expected given[{expectation.Index}] rejected, but {outcome.Fate(expectation.Index)}") { Given = expectation.Index });
            }
            else if (expectation.Reason is { } text && !reason.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                _failures.Add(new TestFailure(expectation.Location, $"given[{expectation.Index}] was rejected, but its reason does not contain \"{text}\"")
                {
                    Given = expectation.Index,
                    Fields = [new FieldDiff("reason", JsonValues.ToText(text), JsonValues.ToText(reason))],
                });
            }
        }

        foreach (var (index, reason) in outcome.Rejected.Where(r => expected.All(e => e.Index != r.Key)))
        {
            _failures.Add(new TestFailure(test.Given[index].Location, $"given[{index}] was rejected, which the test does not expect (list it under expect_rejected if it should be): {reason}") { Given = index });
        }
    }
}
