using System.Text;
using EtlRunner.Connectors;
using EtlRunner.Expressions;
using EtlRunner.Model;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Execution;

/// <summary>What the operations of one run share: ids, folders, the masker, per-connection resources and state.</summary>
internal sealed class RunContext(PipelineDefinition pipeline, RunOptions options, string runId, RunResources resources)
{
    public RunOptions Options { get; } = options;

    public RunResources ContextResources => resources;

    public string RunId { get; } = runId;

    public SecretMasker Masker => Options.Masker;

    public string StateDirectory { get; } = options.StateDirectory is { } dir ? Path.GetFullPath(dir) : Path.Combine(pipeline.BaseDirectory, ".etl");

    public string RejectsPath(string operation) => Path.Combine(StateDirectory, "rejects", RunId, Slug(operation) + ".jsonl");

    public ActivityContext ActivityContext(OperationPlan plan, ActivityPlan activity)
    {
        var connectionName = activity.Connection.Name.Value;
        var connection = new ConnectionContext(connectionName, activity.ConnectionSettings, resources, ConnectorState(connectionName))
        {
            Logger = Options.LoggerFactory.CreateLogger($"EtlRunner.Connectors.{activity.Connector.Descriptor.Type}"),
            TimeProvider = Options.TimeProvider,
        };
        return new ActivityContext(plan.Name, activity.Kind, activity.ActivitySettings, connection)
        {
            BatchSize = plan.Options.BatchSize,
            Timeout = plan.Options.Timeout,
        };
    }

    public IConnectorState ConnectorState(string connectionName) =>
        new FileConnectorState(Path.Combine(StateDirectory, "connections", Slug(connectionName) + ".json"));

    /// <summary>A file-name-safe form of a name: letters, digits, '-', '_' and '.'.</summary>
    public static string Slug(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return builder.ToString();
    }
}
