using System.ComponentModel;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary>
/// <c>etl test FILE</c>: the Test button for each connection, one line each, then each operation's source fields
/// against the fields its transforms read; exit 1 when any fails.
/// </summary>
internal sealed class TestCommand(CliEnvironment environment) : AsyncCommand<TestCommand.Settings>
{
    public sealed class Settings : FileSettings
    {
        [CommandOption("--connection <NAME>")]
        [Description("Test only this connection.")]
        public string? Connection { get; set; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var session = new PipelineSession(environment);
        if (!session.TryLoad(settings.File, settings, out var pipeline, out var inputs))
        {
            return ExitCodes.InvalidPipeline;
        }

        if (settings.Connection is { } only && pipeline.FindConnection(only) is null)
        {
            session.ReportProblems([new Diagnostic(new SourceLocation(settings.File, 0, 0), $"--connection '{only}': no such connection; declared: {string.Join(", ", pipeline.Connections.Select(c => c.Name.Value))}")], settings);
            return ExitCodes.InvalidPipeline;
        }

        pipeline = await session.ApplySandboxAsync(pipeline, settings, cancellationToken);
        var stateDirectory = PipelineSession.Layout(settings, pipeline).Folder;
        if (!session.TryOpenState(stateDirectory, settings, out var state))
        {
            return ExitCodes.InvalidPipeline;
        }

        var options = new RunOptions
        {
            Variables = inputs,
            State = state,
            StateDirectory = stateDirectory,
            TimeProvider = environment.TimeProvider,
            LoggerFactory = session.CreateLoggerFactory(settings),
            Masker = session.Masker,
        };
        var tester = new ConnectionTester(session.Registry);
        var outcomes = await tester.TestAsync(pipeline, options, settings.Connection, cancellationToken);
        IReadOnlyList<FieldsTestOutcome> fields = settings.Connection is null ? await tester.TestFieldsAsync(pipeline, options, cancellationToken) : [];
        var success = outcomes.All(o => o.Success) && fields.All(f => f.Success);
        if (settings.Json)
        {
            JsonOutput.Write(environment.Out, session.Masker, json =>
            {
                json.WriteStartObject();
                json.WriteBoolean("success", success);
                json.WriteStartArray("connections");
                foreach (var outcome in outcomes)
                {
                    json.WriteStartObject();
                    json.WriteString("name", outcome.Connection);
                    json.WriteString("type", outcome.Type);
                    json.WriteBoolean("success", outcome.Success);
                    json.WriteString("message", outcome.Message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("operations");
                foreach (var outcome in fields)
                {
                    json.WriteStartObject();
                    json.WriteString("name", outcome.Operation);
                    json.WriteBoolean("success", outcome.Success);
                    json.WriteString("fields", outcome.Message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        }
        else
        {
            var console = Consoles.Create(environment);
            console.Profile.Width = 10_000; // one line per result, never wrapped: scripts grep them
            foreach (var outcome in outcomes)
            {
                var mark = outcome.Success ? "[green]ok[/]  " : "[red]FAIL[/]";
                console.MarkupLine($"{mark} {Markup.Escape(outcome.Connection)} ({Markup.Escape(outcome.Type)}): {Markup.Escape(outcome.Message)}");
            }

            foreach (var outcome in fields)
            {
                var mark = outcome.Success ? "[green]ok[/]  " : "[red]FAIL[/]";
                console.MarkupLine($"{mark} {Markup.Escape(outcome.Operation)} (fields): {Markup.Escape(outcome.Message)}");
            }
        }

        return success ? ExitCodes.Ok : ExitCodes.OperationFailed;
    }
}
