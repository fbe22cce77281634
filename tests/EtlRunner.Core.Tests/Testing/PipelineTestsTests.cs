using EtlRunner.Testing;

namespace EtlRunner.Core.Tests.Testing;

/// <summary>The <c>tests:</c> section: how it is loaded and validated, and how the runner compares records.</summary>
public sealed class PipelineTestsTests : IDisposable
{
    private readonly PipelineHarness _harness = new();

    private const string Pipeline = """
        project: demo
        connections:
          - { name: In, type: memory, store: input }
          - { name: Out, type: memory, store: output }
        operations:
          - name: Copy
            source: { connection: In, activity: query }
            transform:
              where: record.keep
              map:
                id: "{{ record.id }}"
                tags: "{{ record.tags }}"
                ratio: "{{ record.n / 2 }}"
            target: { connection: Out, activity: create }
            set: { copied: "yes" }
            on_success: Next
          - name: Next
            source: { connection: In, activity: query }
            transform:
              map: { copied: "{{ copied }}" }
            target: { connection: Out, activity: create }
        tests:
        """;

    [Fact]
    public void Validate_DuplicateNamesAndATestThatChecksNothing_AreReported()
    {
        var problems = Problems("""
              - { name: same, operation: Copy, given: [], expect: [] }
              - { name: same, operation: Copy, given: [] }
            """);

        Assert.Contains(problems, p => p.StartsWith("pipeline.yaml:24:13: duplicate test name 'same'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("pipeline.yaml:24:5: test 'same' checks nothing", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_IndexesPastTheGivenRecords_AreReported()
    {
        var problems = Problems("""
              - name: indexes
                operation: Copy
                given: [{ id: 1, keep: true }]
                expect_filtered: [1]
                expect_rejected: [{ index: 3 }]
            """);

        Assert.Contains(problems, p => p.StartsWith("pipeline.yaml:26:22: test 'indexes': expect_filtered goes past the given records (the test gives 1 record(s), indexes 0 to 0)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("pipeline.yaml:27:23: test 'indexes': expect_rejected index 3 is past the given records", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_GivenItemThatIsNotAMappingAndAnIndexThatIsNotANumber_AreReportedAtTheirPositions()
    {
        var problems = Problems("""
              - name: shapes
                operation: Copy
                given: [{ id: 1 }, just text]
                expect_rejected: [{ index: first }]
            """);

        Assert.Contains(problems, p => p.StartsWith("pipeline.yaml:25:24: record 1 of 'given' of test 'shapes' must be a mapping", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("pipeline.yaml:26:32: 'index' in 'expect_rejected' of test 'shapes' must be a whole number from 0, not 'first'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ExpectGlobalsTheOperationDoesNotSet_SuggestsTheOneItSets()
    {
        var problems = Problems("""
              - { name: globals, operation: Copy, given: [], expect_globals: { copyed: "yes" } }
            """);

        Assert.Contains(problems, p => p.StartsWith("pipeline.yaml:23:68: test 'globals': operation 'Copy' does not set 'copyed' (did you mean 'copied'?)", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_GlobalSetUpstream_IsAcceptedAsATestVariable()
    {
        var results = Run("""
              - name: reads the global
                operation: Next
                variables: { copied: "from the test" }
                given: [{ id: 1 }]
                expect: [{ copied: "from the test" }]
            """);

        Assert.True(Assert.Single(results).Passed);
    }

    [Fact]
    public void Run_NumbersCompareByValueAndListsItemByItem()
    {
        var results = Run("""
              - name: one equals one point zero, a list item differs
                operation: Copy
                given: [{ id: 1, keep: true, tags: [a, b], n: 2 }]
                expect: [{ id: 1.0, tags: [a, c], ratio: 1 }]
            """);

        var failure = Assert.Single(Assert.Single(results).Failures);
        var diff = Assert.Single(failure.Fields);
        Assert.Equal(("tags[1]", "\"c\"", "\"b\""), (diff.Field, diff.Expected, diff.Actual));
    }

    [Fact]
    public void Run_ExpectedFieldTheMapDoesNotProduce_SaysThereIsNoSuchField()
    {
        var results = Run("""
              - name: a field the map does not produce
                operation: Copy
                given: [{ id: 1, keep: true, n: 2, email: a@example.com }]
                expect: [{ id: 1, email: a@example.com }]
            """);

        var diff = Assert.Single(Assert.Single(Assert.Single(results).Failures).Fields);
        Assert.Equal(("email", "\"a@example.com\"", "(no such field)"), (diff.Field, diff.Expected, diff.Actual));
    }

    [Fact]
    public void Run_MoreRecordsReachTheTargetThanExpected_ReportsEachExtraOne()
    {
        var results = Run("""
              - name: too many
                operation: Copy
                given: [{ id: 1, keep: true, n: 2 }, { id: 2, keep: true, n: 4 }]
                expect: [{ id: 1 }]
            """);

        var failures = Assert.Single(results).Failures;
        Assert.Contains(failures, f => f.Message == "expected 1 record(s) at the target, got 2");
        Assert.Contains(failures, f => f.Record == 1 && f.Given == 1 && f.Message.StartsWith("record 1 reached the target (from given[1]) but is not expected", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_WhereThatIsNotTrueOrFalse_IsARejectTheTestMustList()
    {
        var results = Run("""
              - name: keep must be true or false
                operation: Copy
                given: [{ id: 1, keep: "yes" }]
                expect: []
            """);

        var failure = Assert.Single(Assert.Single(results).Failures);
        Assert.Equal(0, failure.Given);
        Assert.Contains("'record.keep' must be true or false", failure.Message, StringComparison.Ordinal);
    }

    private List<string> Problems(string tests) =>
        [.. _harness.Problems(Pipeline + "\n" + tests, requireValues: false).Select(p => p.ToString().Replace(_harness.Folder.Path + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal))];

    private IReadOnlyList<PipelineTestResult> Run(string tests) => PipelineTestRunner.Run(_harness.LoadValid(Pipeline + "\n" + tests), environment: null);

    public void Dispose() => _harness.Dispose();
}
