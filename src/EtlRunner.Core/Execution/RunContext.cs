using System.Text;
using EtlRunner.Connectors;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Planning;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Execution;

/// <summary>What the operations of one run share: ids, folders, the masker, per-connection resources and state.</summary>
internal sealed class RunContext(PipelineDefinition pipeline, RunOptions options, string runId, RunResources resources)
{
    public RunOptions Options { get; } = options;

    public RunResources ContextResources => resources;

    public string RunId { get; } = runId;

    public SecretMasker Masker => Options.Masker;

    public State.StateLayout Layout { get; } = State.StateLayout.For(pipeline.BaseDirectory, options.StateDirectory, sandbox: false);

    public string StateDirectory => Layout.Folder;

    /// <summary>The rejects file of an operation in this run, or in an earlier one.</summary>
    public string RejectsPath(string operation, string? runId = null) => Layout.RejectsFile(runId ?? RunId, operation);

    public ActivityContext ActivityContext(OperationPlan plan, ActivityPlan activity)
    {
        var connectionName = activity.Connection.Name.Value;
        var connection = new ConnectionContext(connectionName, activity.ConnectionSettings, resources, ConnectorState(connectionName))
        {
            Logger = Options.LoggerFactory.CreateLogger($"EtlRunner.Connectors.{activity.Connector.Descriptor.Type}"),
            TimeProvider = Options.TimeProvider,
            Masker = Masker,
            RequestGate = Options.RequestGate,
        };
        return new ActivityContext(plan.Name, activity.Kind, activity.ActivitySettings, connection)
        {
            BatchSize = plan.Options.BatchSize,
            Timeout = plan.Options.Timeout,
            Watermark = activity.Kind == ActivityKind.Query ? plan.Watermark : null,
            Preview = Options.DryRun && activity.Kind != ActivityKind.Query,
        };
    }

    /// <summary>The pipeline as the state database knows it: its canonical path (symlinks resolved).</summary>
    public string PipelineKey { get; } = options.PipelineKey ?? State.CanonicalPath.Of(pipeline.FilePath);

    /// <summary>A dry run's <c>--preview</c> file, when asked for.</summary>
    public PreviewFile? Previews { get; init; }

    /// <summary>The resources this run writes, locked as its operations start (null: no locks).</summary>
    public State.ResourceLocks? Locks { get; init; }

    /// <summary>In a dry run: what its targets would have written (<see cref="Connectors.IConnector.WriteResource"/>), which a later source must not be previewed against.</summary>
    public HashSet<string> DryRunWrites { get; } = new(StringComparer.Ordinal);

    /// <summary>The state knows no run of this pipeline: targets that already hold data check each record.</summary>
    public bool LedgerMissing { get; init; }

    /// <summary>The operations an interrupted run finished, when this run resumes it (else empty).</summary>
    public Queue<State.OperationEntry> Finished { get; init; } = new();

    public IConnectorState ConnectorState(string connectionName) =>
        Options.State?.ConnectorState(PipelineKey, connectionName) ?? _memoryStates.GetOrAdd(connectionName, _ => new MemoryConnectorState());

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IConnectorState> _memoryStates = new(StringComparer.Ordinal);

    private sealed class MemoryConnectorState : IConnectorState
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);

        public string? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;

        public void Set(string key, string value) => _values[key] = value;
    }

}

/// <summary>File-name-safe forms of names.</summary>
public static class RunContextNames
{
    /// <summary>The longest file name (in UTF-8 bytes) the usual file systems (ext4, APFS, NTFS) accept.</summary>
    public const int MaxFileNameBytes = 255;

    /// <summary>The name of an operation's rejects file: <c>Load_signups.jsonl</c>.</summary>
    public static string RejectsFileName(string operation) => Slug(operation) + ".jsonl";

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
