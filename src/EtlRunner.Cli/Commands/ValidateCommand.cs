using System.ComponentModel;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Diagnostics;
using EtlRunner.Validation;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary><c>etl validate PATH...</c>: check files and folders of pipelines, report every problem, exit 2 on any.</summary>
internal sealed class ValidateCommand(CliEnvironment environment) : AsyncCommand<ValidateCommand.Settings>
{
    public sealed class Settings : PipelineSettings
    {
        [CommandArgument(0, "<PATH>")]
        [Description("Pipeline files, or folders searched for .yaml and .yml files.")]
        public string[] Paths { get; set; } = [];
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var session = new PipelineSession(environment);
        var inputs = session.Inputs(settings);
        if (inputs is null)
        {
            return ExitCodes.InvalidPipeline;
        }

        var results = new List<(string File, IReadOnlyList<Diagnostic> Problems)>();
        var files = PipelineFiles.Expand(settings.Paths, out var missing);
        foreach (var file in files)
        {
            results.Add((file, Validate(session, file, inputs)));
        }

        results.AddRange(missing.Select(m => (m, (IReadOnlyList<Diagnostic>)[new Diagnostic(new SourceLocation(m, 0, 0), "no such file or folder")])));
        var problems = results.Sum(r => r.Problems.Count);
        if (settings.Json)
        {
            JsonOutput.Write(environment.Out, session.Masker, json =>
            {
                json.WriteStartObject();
                json.WriteBoolean("valid", problems == 0);
                json.WriteStartArray("files");
                foreach (var (file, fileProblems) in results)
                {
                    json.WriteStartObject();
                    json.WriteString("file", file);
                    json.WriteBoolean("valid", fileProblems.Count == 0);
                    JsonOutput.WriteProblemArray(json, fileProblems);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        }
        else
        {
            foreach (var diagnostic in results.SelectMany(r => r.Problems))
            {
                environment.Out.WriteLine(session.Masker.Apply(diagnostic.ToString()));
            }

            var invalid = results.Count(r => r.Problems.Count > 0);
            if (!settings.Quiet || problems > 0)
            {
                environment.Error.WriteLine(problems == 0
                    ? $"{results.Count} file(s) valid"
                    : $"{invalid} of {results.Count} file(s) invalid, {problems} problem(s)");
            }
        }

        return problems == 0 && results.Count > 0 ? ExitCodes.Ok : ExitCodes.InvalidPipeline;
    }

    private static IReadOnlyList<Diagnostic> Validate(PipelineSession session, string file, Expressions.VariableInputs inputs) =>
        PipelineCheck.File(file, session.Registry, inputs, session.Masker, requireValues: false).Problems;
}
