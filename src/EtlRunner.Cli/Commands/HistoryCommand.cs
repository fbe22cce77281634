using System.ComponentModel;
using System.Globalization;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using EtlRunner.Expressions;
using EtlRunner.State;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Rendering;

namespace EtlRunner.Cli.Commands;

/// <summary><c>etl history [FILE]</c>: past runs and operations, sandbox runs marked, from the state databases beside the file (or every pipeline below the current folder), newest first.</summary>
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
        if (settings.Cluster is { } cluster)
        {
            using var group = ClusterState.Open(cluster, environment.Secrets);
            var runs = group.History(settings.File, settings.Operation, Math.Max(1, settings.Limit));
            return Write(settings, [.. runs.Select(e => (e, false))], group.Attempts(runs.Select(e => e.RunId)), group.RejectCounts(runs.Select(e => e.RunId)));
        }

        var (folder, pipeline) = settings.Resolve(environment);
        var stores = StateFolders(settings, folder).Where(f => File.Exists(Path.Combine(f.Folder, SqliteStateStore.FileName))).ToList();
        if (stores.Count == 0)
        {
            environment.Error.WriteLine(settings.File is null && settings.StateDirectory is null
                ? $"no runs recorded yet: no pipeline below {environment.WorkingDirectory} has a state database (.etl/{SqliteStateStore.FileName} beside it)"
                : $"no runs recorded yet: {Path.Combine(folder, SqliteStateStore.FileName)} does not exist");
            return settings.Json ? WriteJson([], NoAttempts) : ExitCodes.Ok;
        }

        var limit = Math.Max(1, settings.Limit);
        var entries = stores.SelectMany(f =>
            {
                using var store = new SqliteStateStore(f.Folder);
                return store.History(pipeline, settings.Operation, limit).Select(e => (Entry: e, f.Sandbox));
            })
            .OrderByDescending(e => e.Entry.Start).Take(limit).ToList();
        return Write(settings, entries, NoAttempts, rejects: null);
    }

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<RunAttempt>> NoAttempts = new Dictionary<string, IReadOnlyList<RunAttempt>>();

    /// <summary>
    /// The entries as a table or JSON; a group's scheduled runs with the attempts at their fire (agent, token, outcome),
    /// and a group's operations with the rejects it keeps of them (<paramref name="rejects"/>: lines per run and operation).
    /// </summary>
    private int Write(
        Settings settings,
        IReadOnlyList<(OperationEntry Entry, bool Sandbox)> entries,
        IReadOnlyDictionary<string, IReadOnlyList<RunAttempt>> attempts,
        IReadOnlyDictionary<(string RunId, string Operation), long>? rejects)
    {
        if (settings.Json)
        {
            return WriteJson(entries, attempts, rejects);
        }

        var kinds = CountColumns.HaveKinds(entries.Select(e => Counts(e.Entry)));
        var table = CountColumns.AddTo(new Table().Border(TableBorder.Rounded).AddColumn("Started").AddColumn("Run").AddColumn("Operation").AddColumn("Status"), kinds: kinds)
            .AddColumn(new TableColumn("Duration").RightAligned()).AddColumn("Error");
        foreach (var (e, sandbox) in entries)
        {
            table.AddRow([
                e.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(e.RunId + (sandbox ? " (sandbox)" : string.Empty) + (e.Schedule is { } fire ? $"\n{fire.Name} {fire.FireTimeText}" : string.Empty) + (Attempts(attempts, e.RunId) is { } tries ? "\n" + tries : string.Empty)), Markup.Escape(e.Operation), e.Status,
                .. CountColumns.Cells(Counts(e), kinds),
                DurationText.Format(e.End - e.Start), Markup.Escape(string.Join("\n", new[] { e.Error, Kept(rejects, e) }.OfType<string>())),
            ]);
        }

        // Narrower than the table can be without breaking words: two lines per entry, the counts as an equation.
        var console = Consoles.Create(environment);
        if (((IRenderable)table).Measure(RenderOptions.Create(console), console.Profile.Width).Min <= console.Profile.Width)
        {
            console.Write(table);
            return ExitCodes.Ok;
        }

        foreach (var (e, sandbox) in entries)
        {
            var run = e.RunId + (sandbox ? " (sandbox)" : string.Empty) + (e.Schedule is { } fire ? $", {fire.Name} {fire.FireTimeText}" : string.Empty);
            console.MarkupLine($"{e.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {Markup.Escape(run)} [bold]{Markup.Escape(e.Operation)}[/]: {Markup.Escape(e.Status)} in {DurationText.Format(e.End - e.Start)}");
            console.WriteLine("  " + CountColumns.Equation(Counts(e)));
            if (Attempts(attempts, e.RunId) is { } tries)
            {
                console.WriteLine("  " + tries);
            }

            if (e.Error is { } error)
            {
                console.WriteLine("  error: " + error);
            }

            if (Kept(rejects, e) is { } kept)
            {
                console.WriteLine("  " + kept);
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>Where a group keeps an operation's rejects, and how to replay them; null without any.</summary>
    private static string? Kept(IReadOnlyDictionary<(string RunId, string Operation), long>? rejects, OperationEntry e) =>
        rejects is not null && rejects.TryGetValue((e.RunId, e.Operation), out var lines)
            ? $"{SummaryRenderer.N(lines)} reject(s) kept in the group: etl replay --cluster CONNECTION {e.RunId} --operation \"{e.Operation}\""
            : null;

    /// <summary>
    /// The state folders to read: --state-dir alone; else, beside the file (or beside every pipeline below the
    /// current folder), .etl and .etl/sandbox, or only the sandbox one with --sandbox.
    /// </summary>
    private IEnumerable<(string Folder, bool Sandbox)> StateFolders(Settings settings, string folder)
    {
        if (settings.StateDirectory is not null)
        {
            return [(folder, settings.Sandbox)];
        }

        var beside = settings.File is null
            ? PipelineFiles.Expand([environment.WorkingDirectory], out _).Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!).Distinct(StringComparer.Ordinal)
            : [Path.GetDirectoryName(Path.GetFullPath(settings.File, environment.WorkingDirectory))!];
        return beside.SelectMany(d => settings.Sandbox
            ? [(Path.Combine(d, ".etl", "sandbox"), true)]
            : new[] { (Path.Combine(d, ".etl"), false), (Path.Combine(d, ".etl", "sandbox"), true) });
    }

    private static OperationCounts Counts(OperationEntry e) => new(e.Read, e.Filtered, e.Written, e.Skipped, e.Rejected) { Kinds = e.Kinds };

    /// <summary>A group's run as its attempts made it (<c>attempts: a2 #1 lease lost, a1 #2 succeeded</c>); null for a run of one machine.</summary>
    private static string? Attempts(IReadOnlyDictionary<string, IReadOnlyList<RunAttempt>> attempts, string runId) =>
        attempts.TryGetValue(runId, out var list)
            ? "attempts: " + string.Join(", ", list.Select(a => $"{a.Agent} #{a.Token} {a.Outcome ?? "running"}"))
            : null;

    private int WriteJson(
        IReadOnlyList<(OperationEntry Entry, bool Sandbox)> entries,
        IReadOnlyDictionary<string, IReadOnlyList<RunAttempt>> attempts,
        IReadOnlyDictionary<(string RunId, string Operation), long>? rejects = null)
    {
        JsonOutput.Write(environment.Out, new SecretMasker(), json =>
        {
            json.WriteStartArray();
            foreach (var (e, sandbox) in entries)
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
                JsonOutput.WriteCounts(json, Counts(e));
                json.WriteString("error", e.Error);
                json.WriteString("rejects_file", e.RejectsFile);
                if (rejects is not null)
                {
                    json.WriteNumber("rejects_kept", rejects.GetValueOrDefault((e.RunId, e.Operation)));
                }

                json.WriteBoolean("sandbox", sandbox);
                json.WriteString("schedule", e.Schedule?.Name);
                json.WriteString("fire_time", e.Schedule?.FireTimeText);
                if (attempts.TryGetValue(e.RunId, out var list))
                {
                    json.WriteStartArray("attempts");
                    foreach (var a in list)
                    {
                        json.WriteStartObject();
                        json.WriteString("agent", a.Agent);
                        json.WriteNumber("token", a.Token);
                        json.WriteString("start_time", SystemVariables.Format(a.Start));
                        json.WriteString("end_time", a.End is { } end ? SystemVariables.Format(end) : null);
                        json.WriteString("outcome", a.Outcome);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
        return ExitCodes.Ok;
    }
}
