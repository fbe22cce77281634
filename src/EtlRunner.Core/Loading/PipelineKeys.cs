using EtlRunner.Planning;

namespace EtlRunner.Loading;

/// <summary>
/// The keys the pipeline file accepts at each level, with their descriptions: the loader checks against
/// them and the JSON schema is generated from them, so the two cannot drift.
/// </summary>
public static class PipelineKeys
{
    public static IReadOnlyList<KeySpec> Top { get; } =
    [
        new("project", "The project's name; available as system.project.name.", Required: true),
        new("description", "What this pipeline does, for people reading it."),
        new("variables", "Project variables: 'name: default' or 'name: { value, description, secret }'. Referenced as [name] in fields and by bare name in expressions."),
        new("environments", "Per-environment variable overrides, chosen with --environment."),
        new("connections", "Connections: where data is read from and written to.", Required: true),
        new("operations", "Operations: source -> transform -> target, chained with on_success / on_failure.", Required: true),
        new("tests", "Unit tests of the operations' transforms, run by etl validate without opening any connection: records given, and what must reach the target, be filtered or be rejected."),
        new("schedules", "When an agent (etl agent) runs the operations: cron, time zone, the operation, and what to do on overlap and misfire."),
    ];

    public static IReadOnlyList<KeySpec> Schedule { get; } =
    [
        new("name", "Unique name of the schedule; available to the run as system.schedule.name.", Required: true),
        new("cron", "When it fires: crontab's 5 fields (minute hour day-of-month month day-of-week; '*' in both day fields is allowed), or 6 fields with seconds first. Restricting both day fields is refused (crontab would run on either).", Required: true),
        new("timezone", "The IANA time zone the cron fields are read in, e.g. Europe/Paris (default UTC); the agent machine's zone never matters."),
        new("operation", "The operation to run with its chain; without it, every root chain runs, like etl run."),
        new("overlap", "skip (default): a fire time while the previous run of this schedule is still going does nothing; queue: it runs when the previous one ends."),
        new("misfire", "run_once (default): after the agents were all down, one run for the fire times missed; skip: wait for the next fire time."),
        new("enabled", "false keeps the schedule in the file without running it (default true)."),
    ];

    public static IReadOnlyList<KeySpec> Variable { get; } =
    [
        new("value", "The default value."),
        new("description", "What the variable is for."),
        new("secret", "Never print the value (masked as ***). A secret with no value must be supplied from outside: --var, ETL_VAR_<NAME> or --env-file."),
    ];

    public static IReadOnlyList<KeySpec> Environment { get; } =
    [
        new("variables", "Variable values for this environment; they override the defaults in 'variables'."),
    ];

    public static IReadOnlyList<KeySpec> Connection { get; } =
    [
        new("name", "Unique name of the connection; must not contain '/' or ':'.", Required: true),
        new("type", "The connector type.", Required: true),
    ];

    public static IReadOnlyList<KeySpec> Operation { get; } =
    [
        new("name", "Unique name of the operation; must not contain '/' or ':'.", Required: true),
        new("description", "What the operation does, for people reading it."),
        new("source", "Where records come from: a connection and its 'query' activity.", Required: true),
        new("transform", "Optional: filter records with 'where' and reshape them with 'map'."),
        new("target", "Where records go: a connection and its 'create', 'update' or 'delete' activity.", Required: true),
        new("options", "Batch size, reject limit and timeout."),
        new("set", "Global variables set when the operation succeeds (name: Scriban template); visible to the operations downstream in its chain."),
        new("on_success", "The operation to run next when this one succeeds."),
        new("on_failure", "The operation to run next when this one fails."),
    ];

    public static IReadOnlyList<KeySpec> Activity { get; } =
    [
        new("connection", "The name of a connection declared under 'connections'.", Required: true),
        new("activity", "What to do with the connection: query (source), create, update or delete (targets).", Required: true),
    ];

    /// <summary>Keys only a source accepts, beside connection and activity.</summary>
    public static IReadOnlyList<KeySpec> SourceOnly { get; } =
    [
        new("incremental", "Incremental sync: 'field' names the record field whose highest value is kept after each successful run and offered as [system.watermark] (Constant Contact queries use it as updated_after); 'start' is the mark of the first run."),
    ];

    public static IReadOnlyList<KeySpec> Incremental { get; } =
    [
        new("field", "The record field that grows as records change, e.g. updated_at.", Required: true),
        new("start", "The watermark of the first run, e.g. 2020-01-01T00:00:00Z."),
    ];

    public static IReadOnlyList<KeySpec> Transform { get; } =
    [
        new("where", "A Scriban expression; records for which it is false are filtered out (and counted)."),
        new("map", "Target fields, each a Scriban template. A value that is exactly one {{ expression }} keeps its type. Without map, records pass through unchanged."),
    ];

    public static IReadOnlyList<KeySpec> Test { get; } =
    [
        new("name", "What the test checks, shown when it fails; unique in the file.", Required: true),
        new("description", "More about the test, for people reading it."),
        new("operation", "The operation whose transform (where, map) and set the test runs.", Required: true),
        new("given", "Records as the source would produce them (a list of mappings; nested values allowed). CSV gives text, so quote numbers a CSV source would give.", Required: true),
        new("expect", "The records that must reach the target, in order. Only the fields listed are compared; nested objects and lists compare whole."),
        new("expect_filtered", "The given records 'where' must filter out: a count (2) or their indexes from 0 ([0, 3])."),
        new("expect_rejected", "The given records the transform must reject: a list of { index, reason }. A rejected record not listed fails the test."),
        new("expect_globals", "Global variables 'set:' must produce (name: value), evaluated as when the operation succeeds."),
        new("variables", "Values for this test: project variables, and globals set upstream in the chain. Tests never read --var, ETL_VAR_* or --env-file, so they give the same result everywhere."),
    ];

    public static IReadOnlyList<KeySpec> RejectExpectation { get; } =
    [
        new("index", "The index of the given record, from 0.", Required: true),
        new("reason", "Text the reject reason must contain."),
    ];

    /// <summary>The operation options: the keys of <see cref="OperationOptions.Specs"/>, which say their types and defaults.</summary>
    public static IReadOnlyList<KeySpec> Options { get; } = [.. OperationOptions.Specs.Select(s => new KeySpec(s.Name, s.Description))];
}

/// <summary>A key the pipeline file accepts, with the description shown in errors, the schema and the docs.</summary>
public sealed record KeySpec(string Name, string Description, bool Required = false);
