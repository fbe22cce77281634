using System.ComponentModel;
using System.Globalization;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.State;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary><c>etl history [FILE]</c>: past runs and operations from the state database, newest first.</summary>
internal sealed class HistoryCommand(CliEnvironment environment) : Command<HistoryCommand.Settings>
{
    public sealed class Settings : StateSettings
    {
        [CommandOption("--operation <NAME>")]
        [Description("Only this operation.")]
        public string? Operation { get; set; }

        [CommandOption("--limit <N>")]
        [Description("How many entries (default 20).")]
        [DefaultValue(20)]
        public int Limit { get; set; } = 20;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (folder, pipeline) = settings.Resolve(environment);
        if (!File.Exists(Path.Combine(folder, SqliteStateStore.FileName)))
        {
            environment.Error.WriteLine($"no runs recorded yet: {Path.Combine(folder, SqliteStateStore.FileName)} does not exist");
            return settings.Json ? WriteJson([], new SecretMasker()) : ExitCodes.Ok;
        }

        using var store = new SqliteStateStore(folder);
        var entries = store.History(pipeline, settings.Operation, Math.Max(1, settings.Limit));
        if (settings.Json)
        {
            return WriteJson(entries, new SecretMasker());
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Started").AddColumn("Run").AddColumn("Operation").AddColumn("Status")
            .AddColumn(new TableColumn("Read").RightAligned()).AddColumn(new TableColumn("Filtered").RightAligned())
            .AddColumn(new TableColumn("Written").RightAligned()).AddColumn(new TableColumn("Rejected").RightAligned())
            .AddColumn(new TableColumn("Duration").RightAligned()).AddColumn("Error");
        foreach (var e in entries)
        {
            table.AddRow(
                e.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(e.Schedule is { } fire ? $"{e.RunId}\n{fire.Name} {fire.FireTimeText}" : e.RunId), Markup.Escape(e.Operation), e.Status,
                SummaryRenderer.N(e.Read), SummaryRenderer.N(e.Filtered), SummaryRenderer.N(e.Written), SummaryRenderer.N(e.Rejected),
                SummaryRenderer.Duration(e.End - e.Start), Markup.Escape(e.Error ?? string.Empty));
        }

        Consoles.Create(environment.Out, environment.NoColor).Write(table);
        return ExitCodes.Ok;
    }

    private int WriteJson(IReadOnlyList<OperationEntry> entries, SecretMasker masker)
    {
        JsonOutput.Write(environment.Out, masker, json =>
        {
            json.WriteStartArray();
            foreach (var e in entries)
            {
                json.WriteStartObject();
                json.WriteString("run_id", e.RunId);
                json.WriteString("pipeline", e.Pipeline);
                json.WriteString("project", e.Project);
                json.WriteString("environment", e.Environment);
                json.WriteString("operation", e.Operation);
                json.WriteString("status", e.Status);
                json.WriteString("start_time", SystemVariables.Format(e.Start));
                json.WriteString("end_time", SystemVariables.Format(e.End));
                json.WriteNumber("read", e.Read);
                json.WriteNumber("filtered", e.Filtered);
                json.WriteNumber("written", e.Written);
                json.WriteNumber("skipped", e.Skipped);
                json.WriteNumber("rejected", e.Rejected);
                json.WriteString("error", e.Error);
                json.WriteString("rejects_file", e.RejectsFile);
                json.WriteString("schedule", e.Schedule?.Name);
                json.WriteString("fire_time", e.Schedule?.FireTimeText);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
        return ExitCodes.Ok;
    }
}
