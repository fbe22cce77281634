using System.ComponentModel;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Diagnostics;
using EtlRunner.Testing;
using EtlRunner.Validation;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary>
/// <c>etl validate PATH...</c>: check files and folders of pipelines, report every problem, then run the unit tests
/// of each valid file (no connection opened, nothing written); exit 2 on any problem or failing test.
/// </summary>
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

        var results = new List<FileResult>();
        var files = PipelineFiles.Expand(settings.Paths, out var missing);
        foreach (var file in files)
        {
            results.Add(Validate(session, file, inputs));
        }

        results.AddRange(missing.Select(m => new FileResult(m, [new Diagnostic(new SourceLocation(m, 0, 0), "no such file or folder")], [], 0)));
        var problems = results.Sum(r => r.Problems.Count);
        var tests = results.SelectMany(r => r.Tests).ToList();
        var failed = tests.Count(t => !t.Passed);
        if (settings.Json)
        {
            JsonOutput.Write(environment.Out, session.Masker, json =>
            {
                json.WriteStartObject();
                json.WriteBoolean("valid", problems == 0 && failed == 0);
                json.WriteStartArray("files");
                foreach (var result in results)
                {
                    json.WriteStartObject();
                    json.WriteString("file", result.File);
                    json.WriteBoolean("valid", result.Problems.Count == 0);
                    JsonOutput.WriteProblemArray(json, result.Problems);
                    TestOutput.WriteJson(json, result.Tests);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteNumber("tests_passed", tests.Count - failed);
                json.WriteNumber("tests_failed", failed);
                json.WriteEndObject();
            });
        }
        else
        {
            foreach (var diagnostic in results.SelectMany(r => r.Problems))
            {
                environment.Out.WriteLine(session.Masker.Apply(diagnostic.ToString()));
            }

            TestOutput.WriteText(environment.Out, session.Masker, tests);
            var invalid = results.Count(r => r.Problems.Count > 0);
            if (!settings.Quiet || problems > 0 || failed > 0)
            {
                var verdict = problems == 0
                    ? $"{results.Count} file(s) valid"
                    : $"{invalid} of {results.Count} file(s) invalid, {problems} problem(s)";
                var notRun = results.Sum(r => r.NotRun);
                environment.Error.WriteLine($"{verdict}; {tests.Count - failed} test(s) passed, {failed} failed" + (notRun > 0 ? $", {notRun} not run (their file is invalid)" : string.Empty));
            }
        }

        return problems == 0 && failed == 0 && results.Count > 0 ? ExitCodes.Ok : ExitCodes.InvalidPipeline;
    }

    /// <summary>The file's problems; its tests only when it has none, since a test of a broken file proves nothing.</summary>
    private static FileResult Validate(PipelineSession session, string file, Expressions.VariableInputs inputs)
    {
        var (pipeline, problems) = PipelineCheck.File(file, session.Registry, inputs, session.Masker, requireValues: false);
        if (pipeline is null || problems.Count > 0)
        {
            return new FileResult(file, problems, [], pipeline?.Tests.Count ?? 0);
        }

        return new FileResult(file, problems, PipelineTestRunner.Run(pipeline, inputs.Environment), 0);
    }

    private sealed record FileResult(string File, IReadOnlyList<Diagnostic> Problems, IReadOnlyList<PipelineTestResult> Tests, int NotRun);
}
