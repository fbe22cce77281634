using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Planning;

namespace EtlRunner.Testing;

/// <summary>
/// Runs a pipeline's unit tests: each test's records go through its operation's transform exactly as in a run
/// (<see cref="RecordTransform"/>), with no connection opened and nothing written. Variables come from the file's
/// defaults, the chosen environment and the test's own values, never from the process environment, so a test gives
/// the same result on every machine; system times are 1970-01-01T00:00:00Z and system.run.id is "test".
/// </summary>
public static class PipelineTestRunner
{
    public const string RunId = "test";

    /// <summary>Runs every test of a valid pipeline, in file order.</summary>
    public static IReadOnlyList<PipelineTestResult> Run(PipelineDefinition pipeline, string? environment)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var results = new List<PipelineTestResult>();
        foreach (var test in pipeline.Tests)
        {
            if (pipeline.FindOperation(test.Operation.Value) is { } operation)
            {
                results.Add(new PipelineTestResult(test.Name.Value, operation.Name.Value, test.Location, Run(pipeline, operation, test, environment)));
            }
        }

        return results;
    }

    private static List<TestFailure> Run(PipelineDefinition pipeline, OperationDefinition operation, PipelineTestDefinition test, string? environment)
    {
        var scope = Scope(pipeline, operation, test, environment);
        var transform = new RecordTransform(TransformPlan.Parse(operation.Transform, new DiagnosticBag()), scope);
        var outcome = new TestOutcome();
        for (var i = 0; i < test.Given.Count; i++)
        {
            var fields = (IReadOnlyDictionary<string, object?>)test.Given[i].ToPlain()!;
            var result = transform.Apply(Record.From(fields, $"given[{i}]"));
            if (result.Output is { } output)
            {
                outcome.Written.Add((i, output));
            }
            else if (result.RejectReason is { } reason)
            {
                outcome.Rejected.Add(i, reason);
            }
            else
            {
                outcome.Filtered.Add(i);
            }
        }

        var failures = new TestExpectations(test, outcome).Check();
        if (test.ExpectGlobals is { } globals)
        {
            failures.AddRange(TestExpectations.Globals(operation, scope, globals));
        }

        return failures;
    }

    private static VariableScope Scope(PipelineDefinition pipeline, OperationDefinition operation, PipelineTestDefinition test, string? environment)
    {
        var declared = ProjectVariables.Resolve(pipeline, new VariableInputs { EnvironmentVariable = _ => null, Environment = environment }, new DiagnosticBag());
        var project = new Dictionary<string, string>(StringComparer.Ordinal);
        var globals = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in test.Variables)
        {
            if (declared.TryGet(name.Value, out _))
            {
                project[name.Value] = value.AsText() ?? string.Empty;
            }
            else
            {
                globals[name.Value] = value.ToPlain();
            }
        }

        var inputs = new VariableInputs { CommandLine = project, EnvironmentVariable = _ => null, Environment = environment };
        var system = PipelineCompiler.SystemOf(pipeline, environment) with
        {
            RunId = RunId,
            RunStartTime = DateTimeOffset.UnixEpoch,
            OperationName = operation.Name.Value,
            OperationStartTime = DateTimeOffset.UnixEpoch,
            Watermark = operation.Source?.Incremental?.Start,
            TimeProvider = new FixedTime(DateTimeOffset.UnixEpoch),
        };
        return new VariableScope(globals, ProjectVariables.Resolve(pipeline, inputs, new DiagnosticBag()), system);
    }

    /// <summary>A clock that always says the same instant, so system.date and system.time are the same in every test run.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
