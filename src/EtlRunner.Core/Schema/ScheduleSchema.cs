using System.Text.Json.Nodes;
using EtlRunner.Loading;

namespace EtlRunner.Schema;

/// <summary>An item of <c>schedules:</c> (see <see cref="PipelineKeys.Schedule"/>); cron and time zones are checked by <c>etl validate</c>.</summary>
internal static class ScheduleSchema
{
    public static JsonObject Item() =>
        KeySchemas.Strict(nameof(PipelineKeys.Schedule), PipelineKeys.Schedule, new Dictionary<string, Func<JsonObject>>
        {
            ["name"] = () => new JsonObject { ["type"] = "string", ["minLength"] = 1 },
            ["cron"] = () => new JsonObject { ["type"] = "string", ["minLength"] = 1 },
            ["timezone"] = () => KeySchemas.Type("string"),
            ["operation"] = () => KeySchemas.Type("string"),
            ["overlap"] = () => new JsonObject { ["enum"] = ValueSchemas.Strings(["skip", "queue"]) },
            ["misfire"] = () => new JsonObject { ["enum"] = ValueSchemas.Strings(["run_once", "skip"]) },
            ["enabled"] = () => KeySchemas.Type("boolean"),
        });
}
