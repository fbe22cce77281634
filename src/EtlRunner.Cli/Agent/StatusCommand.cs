using System.ComponentModel;
using EtlRunner.Cli.Commands;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.State;
using Microsoft.Data.Sqlite;
using Npgsql;
using Quartz;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Agent;

/// <summary>
/// <c>etl status [PATH]</c>: what the agent of a state folder is doing, read from its stores whether it runs or not:
/// the schedules from the Quartz store (<c>schedule.db</c>), the agent and its running operations from its last
/// check-in (<c>agent-status.json</c>), the last runs from <c>state.db</c>.
/// </summary>
internal sealed class StatusCommand(CliEnvironment environment) : AsyncCommand<StatusCommand.Settings>
{
    public sealed class Settings : GlobalSettings
    {
        [CommandArgument(0, "[PATH]")]
        [Description("The PATH the agent was given; its state folder is .etl in it (beside it, for a file). Default: the current folder.")]
        public string? Path { get; set; }

        [CommandOption("--state-dir <DIR>")]
        [Description("The agent's --state-dir instead.")]
        public string? StateDirectory { get; set; }

        [CommandOption("--cluster <CONNECTION>")]
        [Description("An agent group's PostgreSQL (an Npgsql connection string) instead of a state folder: its agents, schedules and running operations.")]
        public string? Cluster { get; set; }

        [CommandOption("--group <GROUP>")]
        [Description("With --cluster: the group (default 'default').")]
        [DefaultValue("default")]
        public string Group { get; set; } = "default";

        [CommandOption("-o|--output <FORMAT>")]
        [Description("text (default) or json (the status page's status.json).")]
        [DefaultValue("text")]
        public string Output { get; set; } = "text";

        public override ValidationResult Validate() =>
            Output is not ("text" or "json") ? ValidationResult.Error($"--output must be text or json, not '{Output}'")
            : Cluster is not null && (StateDirectory ?? Path) is not null ? ValidationResult.Error("give --cluster or a state folder (PATH, --state-dir), not both")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Cluster is { } cluster)
        {
            return await ClusterAsync(cluster, settings, cancellationToken);
        }

        var folder = StateFolder(settings);
        var schedules = System.IO.Path.Combine(folder, "schedule.db");
        if (!File.Exists(schedules))
        {
            environment.Error.WriteLine($"error: no agent has used the state folder {folder} ({schedules} does not exist); give the agent's PATH or its --state-dir");
            return ExitCodes.OperationFailed;
        }

        var scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            // The agent's scheduler name, so its rows are read; never started, so it fires and recovers nothing.
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "etl-agent";
                o.InstanceId = "etl-status";
            });
            q.UseTypeLoader(o => o.Map(ScheduledRunJob.StoredTypeName, typeof(ScheduledRunJob))); // read, never built (see AgentScheduler)
            q.UsePersistentStore(store => store.UseSqlite(SqliteFactory.Instance, $"Data Source={schedules}"));
        }).BuildScheduler(cancellationToken);
        try
        {
            var now = environment.TimeProvider.GetUtcNow();
            var (agents, running) = new StatusBoardFile(folder).Read(now);
            using var state = File.Exists(System.IO.Path.Combine(folder, SqliteStateStore.FileName)) ? new SqliteStateStore(folder) : null;
            var status = await StatusCollector.CollectAsync(scheduler, agents, running, state, now, cancellationToken);
            Print(status, settings);
        }
        finally
        {
            await scheduler.Shutdown(false, CancellationToken.None);
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// A group's status from PostgreSQL: its agents and running operations from its board, its schedules from Quartz's
    /// clustered store, its last runs from the group's state store.
    /// </summary>
    private async Task<int> ClusterAsync(string cluster, Settings settings, CancellationToken cancellationToken)
    {
        var connection = PostgresConnection.Parse(cluster);
        await using var board = new PostgresAgentBoard(connection.ConnectionString, settings.Group);
        using var source = Npgsql.NpgsqlDataSource.Create(connection);
        using var history = new PostgresStateStore(source);
        var scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = PostgresSchema.SchedulerName(settings.Group);
                o.InstanceId = "etl-status";
            });
            q.UseTypeLoader(o => o.Map(ScheduledRunJob.StoredTypeName, typeof(ScheduledRunJob)));
            q.UsePersistentStore(store => store.UsePostgres(NpgsqlFactory.Instance, connection.ConnectionString));
        }).BuildScheduler(cancellationToken);
        try
        {
            var now = environment.TimeProvider.GetUtcNow();
            var (agents, running) = board.Read(now);
            Print(await StatusCollector.CollectAsync(scheduler, agents, running, history, now, cancellationToken), settings);
        }
        finally
        {
            await scheduler.Shutdown(false, CancellationToken.None);
        }

        return ExitCodes.Ok;
    }

    private void Print(Scheduling.AgentStatus status, Settings settings)
    {
        var masker = new SecretMasker();
        if (settings.Output == "json")
        {
            environment.Out.WriteLine(StatusJson.Write(status, masker));
        }
        else
        {
            StatusText.Write(environment.Out, status, masker);
        }
    }

    private string StateFolder(Settings settings)
    {
        if (settings.StateDirectory is { } given)
        {
            return System.IO.Path.GetFullPath(given, environment.WorkingDirectory);
        }

        var path = System.IO.Path.GetFullPath(settings.Path ?? ".", environment.WorkingDirectory);
        return System.IO.Path.Combine(Directory.Exists(path) ? path : System.IO.Path.GetDirectoryName(path)!, StateLayout.FolderName);
    }
}
