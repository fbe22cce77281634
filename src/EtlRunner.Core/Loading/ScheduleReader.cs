using EtlRunner.Diagnostics;
using EtlRunner.Model;

namespace EtlRunner.Loading;

/// <summary>
/// Reads the <c>schedules:</c> section with every position kept. The shape is checked here; what the cron
/// expression, the time zone and the operation mean is checked by <see cref="Scheduling.ScheduleCheck"/>.
/// </summary>
internal sealed class ScheduleReader(NodeReader nodes)
{
    public IReadOnlyList<ScheduleDefinition> Read(YamlNode? node)
    {
        var result = new List<ScheduleDefinition>();
        foreach (var item in nodes.Sequence(node, "'schedules'")?.Items ?? [])
        {
            if (nodes.Mapping(item, "a schedule") is { } mapping)
            {
                result.Add(Schedule(mapping));
            }
        }

        return result;
    }

    private ScheduleDefinition Schedule(YamlMapping mapping)
    {
        var name = nodes.Text(mapping["name"], "name") ?? new Located(string.Empty, mapping.Location);
        var what = name.Value.Length > 0 ? $"schedule '{name.Value}'" : "a schedule";
        nodes.CheckKeys(mapping, what, PipelineKeys.Schedule.Select(k => k.Name), PipelineKeys.Schedule.Where(k => k.Required).Select(k => k.Name));
        return new ScheduleDefinition(name, nodes.Text(mapping["cron"], $"'cron' of {what}") ?? new Located(string.Empty, mapping.Location), mapping.Location)
        {
            TimeZone = nodes.Text(mapping["timezone"], $"'timezone' of {what}"),
            Operation = nodes.Text(mapping["operation"], $"'operation' of {what}"),
            Overlap = Choice(mapping["overlap"], $"'overlap' of {what}", ScheduleOverlap.Skip, [ScheduleOverlap.Skip, ScheduleOverlap.Queue], ScheduleChoices.ToName),
            Misfire = Choice(mapping["misfire"], $"'misfire' of {what}", ScheduleMisfire.RunOnce, [ScheduleMisfire.RunOnce, ScheduleMisfire.Skip], ScheduleChoices.ToName),
            Enabled = nodes.Boolean(mapping["enabled"], $"'enabled' of {what}") ?? true,
        };
    }

    private T Choice<T>(YamlNode? node, string what, T absent, T[] choices, Func<T, string> name)
    {
        if (nodes.Text(node, what) is not { } text)
        {
            return absent;
        }

        foreach (var choice in choices)
        {
            if (text.Value == name(choice))
            {
                return choice;
            }
        }

        var names = choices.Select(name).ToList();
        nodes.Diagnostics.Add(text.Location, $"{what} must be {string.Join(" or ", names)}, not '{text.Value}'{Suggestions.DidYouMean(text.Value, names)}");
        return absent;
    }
}
