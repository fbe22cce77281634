using EtlRunner.Expressions;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Connectors;

/// <summary>Everything a connector gets to work with one connection during one run.</summary>
public class ConnectionContext
{
    public ConnectionContext(string connectionName, Settings connection, RunResources resources, IConnectorState state)
    {
        ConnectionName = connectionName;
        Connection = connection;
        Resources = resources;
        State = state;
    }

    public string ConnectionName { get; }

    /// <summary>The connection's fields, variables resolved, typed and defaulted.</summary>
    public Settings Connection { get; }

    /// <summary>Objects shared for the whole run (one HTTP client per connection), disposed when the run ends.</summary>
    public RunResources Resources { get; }

    /// <summary>Small values kept between runs for this connection (a rotated refresh token), readable by the owner only.</summary>
    public IConnectorState State { get; }

    public ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The run's masker: a secret the connector learns (a rotated token) is added here, so no output shows it.</summary>
    public SecretMasker Masker { get; init; } = new();

    /// <summary>The API limits shared with other processes (an agent group's); null: the connector paces within its run.</summary>
    public IRequestGate? RequestGate { get; init; }
}

/// <summary>Everything a connector gets to create the source or sink of one operation.</summary>
public sealed class ActivityContext : ConnectionContext
{
    public ActivityContext(string operationName, ActivityKind kind, Settings activity, ConnectionContext connection)
        : base(connection.ConnectionName, connection.Connection, connection.Resources, connection.State)
    {
        OperationName = operationName;
        Kind = kind;
        Activity = activity;
        Logger = connection.Logger;
        TimeProvider = connection.TimeProvider;
        Masker = connection.Masker;
        RequestGate = connection.RequestGate;
    }

    public string OperationName { get; }

    public ActivityKind Kind { get; }

    /// <summary>The activity's parameters (the keys beside <c>connection</c> and <c>activity</c>), resolved.</summary>
    public Settings Activity { get; }

    /// <summary>The operation's <c>options.batch_size</c>.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>The operation's <c>options.timeout</c>, when set.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// A dry run's target: the sink changes nothing, using read-only calls only, and answers each
    /// <see cref="ISink.WriteAsync"/> with what the real write would do (<see cref="WriteResult.Previews"/>), counted as
    /// the real write would count it. A sink that cannot preview says so with <see cref="ISink.CanPreview"/>.
    /// </summary>
    public bool Preview { get; init; }

    /// <summary>For an incremental source: the high-water mark of the last successful run (or the start), else null.</summary>
    public string? Watermark { get; init; }
}
