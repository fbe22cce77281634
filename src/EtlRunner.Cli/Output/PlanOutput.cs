using System.Text.Json;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Planning;
using EtlRunner.Scheduling;
using Spectre.Console;

namespace EtlRunner.Cli.Output;

/// <summary>Renders a <see cref="PipelinePlan"/> as text or JSON.</summary>
internal static class PlanOutput
{
    public static void WriteText(IAnsiConsole console, PipelinePlan plan)
    {
        console.MarkupLine($"[bold]Project[/] {Markup.Escape(plan.Project)}, environment {Markup.Escape(plan.Environment)}");
        console.WriteLine();
        console.MarkupLine("[bold]Chains[/] (run in this order by 'etl run')");
        foreach (var chain in plan.Chains)
        {
            console.WriteLine("  " + string.Join(" -> ", chain));
        }

        foreach (var operation in plan.Operations)
        {
            console.WriteLine();
            console.MarkupLine($"[bold]Operation[/] {Markup.Escape(operation.Name)}");
            WriteActivity(console, "source", operation.Source);
            if (operation.Where is not null)
            {
                console.WriteLine($"  where   {operation.Where}");
            }

            foreach (var (field, template) in operation.Map ?? [])
            {
                console.WriteLine($"  map     {field} = {template}");
            }

            WriteActivity(console, "target", operation.Target);
            console.WriteLine($"  options batch_size={operation.Options.BatchSize}, max_rejects={operation.Options.MaxRejects?.ToString() ?? "none"}, timeout={operation.Options.Timeout}");
            if (operation.Sets.Count > 0)
            {
                console.WriteLine($"  sets    {string.Join(", ", operation.Sets)}");
            }

            if (operation.OnSuccess is not null || operation.OnFailure is not null)
            {
                console.WriteLine($"  next    on_success: {operation.OnSuccess ?? "-"}, on_failure: {operation.OnFailure ?? "-"}");
            }
        }

        WriteSchedules(console, plan.Schedules);
        console.WriteLine();
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Variable").AddColumn("Value").AddColumn("From");
        foreach (var variable in plan.Variables)
        {
            table.AddRow(Markup.Escape(variable.Name), Markup.Escape(variable.HasValue ? variable.Value ?? string.Empty : "(no value)"), Markup.Escape(variable.Source));
        }

        console.Write(table);
    }

    private static void WriteSchedules(IAnsiConsole console, IReadOnlyList<ScheduleView> schedules)
    {
        if (schedules.Count == 0)
        {
            return;
        }

        console.WriteLine();
        console.MarkupLine("[bold]Schedules[/] (run by 'etl agent')");
        foreach (var schedule in schedules)
        {
            var runs = schedule.Operation is { } operation ? $"operation {operation} and its chain" : "every root chain";
            var enabled = schedule.Enabled ? string.Empty : " (disabled)";
            console.WriteLine($"  {schedule.Name}{enabled}: cron '{schedule.Cron}' in {schedule.TimeZone}, {runs}; overlap {schedule.Overlap.ToName()}, misfire {schedule.Misfire.ToName()}");
            if (schedule.NextFireTimes.Count > 0)
            {
                console.WriteLine($"    next {string.Join(", ", schedule.NextFireTimes.Select(ScheduleView.Format))}");
            }
        }
    }

    private static void WriteActivity(IAnsiConsole console, string label, ActivityView activity)
    {
        console.WriteLine($"  {label,-7} {activity.Connection} ({activity.Type}) {activity.Activity}");
        foreach (var (name, value) in activity.ConnectionSettings.Concat(activity.Parameters))
        {
            console.WriteLine($"          {name}: {value}");
        }
    }

    public static void WriteJson(TextWriter output, PipelinePlan plan, SecretMasker masker) =>
        JsonOutput.Write(output, masker, json =>
        {
            json.WriteStartObject();
            json.WriteString("project", plan.Project);
            json.WriteString("environment", plan.Environment);
            json.WriteBoolean("valid", plan.Problems.Count == 0);
            json.WriteStartArray("chains");
            foreach (var chain in plan.Chains)
            {
                json.WriteStartArray();
                chain.ToList().ForEach(json.WriteStringValue);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteStartArray("operations");
            foreach (var operation in plan.Operations)
            {
                json.WriteStartObject();
                json.WriteString("name", operation.Name);
                WriteActivity(json, "source", operation.Source);
                json.WriteString("where", operation.Where);
                json.WriteStartObject("map");
                foreach (var (field, template) in operation.Map ?? [])
                {
                    json.WriteString(field, template);
                }

                json.WriteEndObject();
                WriteActivity(json, "target", operation.Target);
                json.WriteNumber("batch_size", operation.Options.BatchSize);
                json.WriteString("on_success", operation.OnSuccess);
                json.WriteString("on_failure", operation.OnFailure);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteSchedules(json, plan.Schedules);
            json.WriteStartArray("variables");
            foreach (var variable in plan.Variables)
            {
                json.WriteStartObject();
                json.WriteString("name", variable.Name);
                json.WriteString("value", variable.Value);
                json.WriteBoolean("secret", variable.Secret);
                json.WriteString("source", variable.Source);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            JsonOutput.WriteProblemArray(json, plan.Problems);
            json.WriteEndObject();
        });

    private static void WriteSchedules(Utf8JsonWriter json, IReadOnlyList<ScheduleView> schedules)
    {
        json.WriteStartArray("schedules");
        foreach (var schedule in schedules)
        {
            json.WriteStartObject();
            json.WriteString("name", schedule.Name);
            json.WriteString("cron", schedule.Cron);
            json.WriteString("quartz_cron", schedule.QuartzCron);
            json.WriteString("timezone", schedule.TimeZone);
            json.WriteString("operation", schedule.Operation);
            json.WriteString("overlap", schedule.Overlap.ToName());
            json.WriteString("misfire", schedule.Misfire.ToName());
            json.WriteBoolean("enabled", schedule.Enabled);
            json.WriteStartArray("next_fire_times");
            schedule.NextFireTimes.Select(ScheduleView.Format).ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteActivity(Utf8JsonWriter json, string name, ActivityView activity)
    {
        json.WriteStartObject(name);
        json.WriteString("connection", activity.Connection);
        json.WriteString("type", activity.Type);
        json.WriteString("activity", activity.Activity);
        json.WriteStartObject("settings");
        foreach (var (key, value) in activity.ConnectionSettings.Concat(activity.Parameters))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
