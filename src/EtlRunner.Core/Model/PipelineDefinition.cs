using EtlRunner.Diagnostics;

namespace EtlRunner.Model;

/// <summary>A pipeline file, as written: variables, environments, connections and operations.</summary>
public sealed record PipelineDefinition(
    string FilePath,
    Located Project,
    IReadOnlyList<VariableDefinition> Variables,
    IReadOnlyList<EnvironmentDefinition> Environments,
    IReadOnlyList<ConnectionDefinition> Connections,
    IReadOnlyList<OperationDefinition> Operations)
{
    /// <summary>The unit tests of the operations' transforms, run by <c>etl validate</c>.</summary>
    public IReadOnlyList<PipelineTestDefinition> Tests { get; init; } = [];

    /// <summary>When agents run the operations (<c>etl agent</c>).</summary>
    public IReadOnlyList<ScheduleDefinition> Schedules { get; init; } = [];

    /// <summary>The folder relative paths resolve against.</summary>
    public string BaseDirectory => Path.GetDirectoryName(Path.GetFullPath(FilePath)) ?? ".";

    public ConnectionDefinition? FindConnection(string name) => Connections.FirstOrDefault(c => c.Name.Value == name);

    public OperationDefinition? FindOperation(string name) => Operations.FirstOrDefault(o => o.Name.Value == name);

    public EnvironmentDefinition? FindEnvironment(string name) => Environments.FirstOrDefault(e => e.Name.Value == name);

    /// <summary>Operations no other operation chains to, in file order: what <c>etl run</c> starts.</summary>
    public IReadOnlyList<OperationDefinition> RootOperations()
    {
        var chained = Operations
            .SelectMany(o => new[] { o.OnSuccess?.Value, o.OnFailure?.Value })
            .Where(n => n is not null)
            .ToHashSet(StringComparer.Ordinal);
        return [.. Operations.Where(o => !chained.Contains(o.Name.Value))];
    }
}

/// <summary>A project variable: <c>name: default</c> or <c>name: { value, description, secret }</c>.</summary>
public sealed record VariableDefinition(Located Name, FieldValue? Value, string? Description, bool Secret);

/// <summary>An environment's variable overrides, chosen with <c>--environment</c>.</summary>
public sealed record EnvironmentDefinition(Located Name, IReadOnlyList<KeyValuePair<Located, FieldValue>> Variables);

/// <summary>A connection: its name, connector type and the connector's fields.</summary>
public sealed record ConnectionDefinition(Located Name, Located Type, IReadOnlyDictionary<string, FieldValue> Fields, SourceLocation Location);

/// <summary>The source or target of an operation: a connection, an activity and the activity's parameters.</summary>
public sealed record ActivityDefinition(Located Connection, Located Activity, IReadOnlyDictionary<string, FieldValue> Parameters, SourceLocation Location)
{
    /// <summary>A source's incremental sync: the field whose high-water mark is kept between runs.</summary>
    public IncrementalDefinition? Incremental { get; init; }
}

/// <summary><c>incremental: { field, start }</c> on a source.</summary>
public sealed record IncrementalDefinition(Located Field, string? Start, SourceLocation Location);

/// <summary>One <c>field: template</c> entry of a <c>map</c> or <c>set</c>.</summary>
public sealed record TemplateEntry(Located Name, Located Template);

/// <summary>The optional transformation between source and target.</summary>
public sealed record TransformDefinition(Located? Where, IReadOnlyList<TemplateEntry>? Map);

/// <summary>An operation: source → transform → target, with options, <c>set</c> and chaining.</summary>
public sealed record OperationDefinition(
    Located Name,
    SourceLocation Location,
    ActivityDefinition? Source,
    TransformDefinition? Transform,
    ActivityDefinition? Target,
    IReadOnlyDictionary<string, FieldValue> Options,
    IReadOnlyList<TemplateEntry> Set,
    Located? OnSuccess,
    Located? OnFailure)
{
    public string? Description { get; init; }
}

/// <summary>
/// A unit test of one operation's transform: records as the source would give them, and what reaches the target
/// (fields not listed are not compared), what is filtered, what is rejected and which globals <c>set:</c> produces.
/// </summary>
public sealed record PipelineTestDefinition(Located Name, Located Operation, SourceLocation Location)
{
    public IReadOnlyList<FieldValue> Given { get; init; } = [];

    public IReadOnlyList<FieldValue>? Expect { get; init; }

    public FilteredExpectation? ExpectFiltered { get; init; }

    public IReadOnlyList<RejectExpectation>? ExpectRejected { get; init; }

    public IReadOnlyList<KeyValuePair<Located, FieldValue>>? ExpectGlobals { get; init; }

    public IReadOnlyList<KeyValuePair<Located, FieldValue>> Variables { get; init; } = [];
}

/// <summary><c>expect_filtered: 2</c> (how many) or <c>expect_filtered: [0, 3]</c> (which given records).</summary>
public sealed record FilteredExpectation(int? Count, IReadOnlyList<int>? Indices, SourceLocation Location);

/// <summary>One <c>expect_rejected</c> item: the given record's index and text its reject reason contains.</summary>
public sealed record RejectExpectation(int Index, string? Reason, SourceLocation Location);
