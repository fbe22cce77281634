using EtlRunner.Diagnostics;
using EtlRunner.Loading;
using EtlRunner.Model;

namespace EtlRunner.Scheduling;

/// <summary>What the schedules mean: unique names, cron expressions Quartz can run, IANA time zones, operations that exist.</summary>
internal static class ScheduleCheck
{
    public static void Check(PipelineDefinition pipeline, DiagnosticBag diagnostics)
    {
        var seen = new Dictionary<string, Located>(StringComparer.Ordinal);
        foreach (var schedule in pipeline.Schedules)
        {
            var what = $"schedule '{schedule.Name.Value}'";
            if (schedule.Name.Value.Length > 0 && !seen.TryAdd(schedule.Name.Value, schedule.Name))
            {
                diagnostics.Add(schedule.Name.Location, $"duplicate schedule name '{schedule.Name.Value}' (first declared at line {seen[schedule.Name.Value].Location.Line})");
            }

            if (schedule.Cron.Value.Length > 0 && !CronSchedule.TryConvert(schedule.Cron.Value, out _, out var problem))
            {
                diagnostics.Add(schedule.Cron.Location, $"{what}: {problem}");
            }

            if (schedule.TimeZone is { } zone && !CronSchedule.TryFindZone(zone.Value, out _))
            {
                diagnostics.Add(zone.Location, $"{what}: unknown time zone '{zone.Value}'; give an IANA name such as UTC, Europe/Paris or America/New_York");
            }

            if (schedule.Operation is { } operation && pipeline.FindOperation(operation.Value) is null)
            {
                var names = pipeline.Operations.Select(o => o.Name.Value).ToList();
                diagnostics.Add(operation.Location, $"{what}: no operation named '{operation.Value}'{Suggestions.DidYouMean(operation.Value, names)}; declared operations: {string.Join(", ", names)}");
            }
        }
    }
}
