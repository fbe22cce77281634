using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Diagnostics;
using EtlRunner.Model;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary><c>etl connections FILE</c>: each connection, its type, and the operations that use it (as source or target, with which activity).</summary>
internal sealed class ConnectionsCommand(CliEnvironment environment) : AsyncCommand<FileSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, FileSettings settings, CancellationToken cancellationToken)
    {
        await using var session = new PipelineSession(environment);
        if (!session.TryLoad(settings.File, settings, out var pipeline, out _))
        {
            return ExitCodes.InvalidPipeline;
        }

        var uses = pipeline.Connections.ToDictionary(c => c.Name.Value, c => Uses(pipeline, c.Name.Value), StringComparer.Ordinal);
        if (settings.Json)
        {
            JsonOutput.Write(environment.Out, session.Masker, json =>
            {
                json.WriteStartArray();
                foreach (var connection in pipeline.Connections)
                {
                    json.WriteStartObject();
                    json.WriteString("name", connection.Name.Value);
                    json.WriteString("type", connection.Type.Value);
                    json.WriteString("declared_at", connection.Location.ToString());
                    json.WriteStartArray("used_by");
                    foreach (var (operation, role, activity) in uses[connection.Name.Value])
                    {
                        json.WriteStartObject();
                        json.WriteString("operation", operation);
                        json.WriteString("role", role);
                        json.WriteString("activity", activity);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("Connection").AddColumn("Type").AddColumn("Used by");
        foreach (var connection in pipeline.Connections)
        {
            var used = uses[connection.Name.Value];
            table.AddRow(
                Markup.Escape(connection.Name.Value),
                Markup.Escape(connection.Type.Value),
                used.Count == 0 ? "[yellow](unused)[/]" : Markup.Escape(string.Join(Environment.NewLine, used.Select(u => $"{u.Operation} ({u.Role}: {u.Activity})"))));
        }

        Consoles.Create(environment).Write(table);
        return ExitCodes.Ok;
    }

    private static List<(string Operation, string Role, string Activity)> Uses(PipelineDefinition pipeline, string connection)
    {
        var uses = new List<(string, string, string)>();
        foreach (var operation in pipeline.Operations)
        {
            if (operation.Source?.Connection.Value == connection)
            {
                uses.Add((operation.Name.Value, "source", operation.Source.Activity.Value));
            }

            if (operation.Target?.Connection.Value == connection)
            {
                uses.Add((operation.Name.Value, "target", operation.Target.Activity.Value));
            }
        }

        return uses;
    }
}
