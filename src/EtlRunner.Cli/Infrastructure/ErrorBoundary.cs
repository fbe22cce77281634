using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using EtlRunner.Cli.Output;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.State;
using Spectre.Console.Cli;
using Diagnostic = EtlRunner.Diagnostics.Diagnostic;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// The CLI's boundary: every exception a command lets through is printed here, masked (in JSON with
/// <c>--output json</c>), and mapped to its exit code by one table. Anything the table does not know is a bug,
/// reported as an unexpected error, with its stack trace under <c>--debug</c> or <c>--log-level trace</c>.
/// </summary>
internal sealed class ErrorBoundary(IReadOnlyList<string> args, CliEnvironment environment, Func<SecretMasker> commandLine)
{
    // What the line's errors must not echo, worked out only when there is an error to report (it reads every command's options).
    private readonly Lazy<SecretMasker> _commandLine = new(commandLine);

    private const string CommandLine = "command line";

    /// <summary>The exit code of each exception that reaches the boundary.</summary>
    public static int ExitCode(Exception exception) => exception switch
    {
        CommandParseException or CommandRuntimeException => ExitCodes.InvalidPipeline,
        PipelineDefinitionException or StateDatabaseException => ExitCodes.InvalidPipeline,
        RunLockedException or ResumeRefusedException => ExitCodes.OperationFailed,
        OperationCanceledException => ExitCodes.Cancelled,
        _ => ExitCodes.OperationFailed,
    };

    public int Handle(Exception exception)
    {
        switch (exception)
        {
            case PipelineDefinitionException definition:
                Report(definition.Diagnostics);
                break;
            case StateDatabaseException state:
                Report([new Diagnostic(new SourceLocation(state.Path, 0, 0), state.Message)]);
                break;
            case CommandParseException or CommandRuntimeException or RunLockedException or ResumeRefusedException:
                Report(exception.Message);
                break;
            case OperationCanceledException:
                break;
            default:
                Report($"unexpected error in {Component(exception)}: {exception.Message}" + (Debug ? Environment.NewLine + exception : "; run with --debug for details"));
                break;
        }

        return ExitCode(exception);
    }

    /// <summary>A usage error found before anything started: printed like the others, exit 2. It quotes only command and option names, never values, so it is not masked as command-line values are.</summary>
    public int Usage(string message)
    {
        Report([new Diagnostic(new SourceLocation(CommandLine, 0, 0), message)], SecretMasker.None);
        return ExitCodes.InvalidPipeline;
    }

    private bool Debug => args.Contains("--debug") || args.Contains("--log-level=trace")
        || args.Zip(args.Skip(1)).Any(p => p is ("--log-level", "trace"));

    private bool Json => args.Contains("--output=json") || args.Contains("-o=json")
        || args.Zip(args.Skip(1)).Any(p => p.First is "-o" or "--output" && p.Second is "json");

    private void Report(string message) => Report([new Diagnostic(new SourceLocation(CommandLine, 0, 0), message)]);

    private void Report(IReadOnlyList<Diagnostic> diagnostics, SecretMasker? values = null)
    {
        diagnostics = [.. diagnostics.Select(d => d with { Message = (values ?? _commandLine.Value).Apply(d.Message) })];
        if (Json)
        {
            JsonOutput.WriteProblems(environment.Out, diagnostics, environment.Secrets);
            return;
        }

        foreach (var diagnostic in diagnostics)
        {
            var text = diagnostic.Location.File == CommandLine ? "error: " + diagnostic.Message : diagnostic.ToString();
            environment.Error.WriteLine(environment.Secrets.Apply(text));
        }
    }

    /// <summary>The innermost EtlRunner type on the exception's stack, where the bug is most likely.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A name for the message only: where the ahead-of-time compiled tool has no method for a frame, the component is etl.")]
    private static string Component(Exception exception)
    {
        var type = new StackTrace(exception).GetFrames()
            .Select(f => f.GetMethod()?.DeclaringType)
            .FirstOrDefault(t => t?.Namespace?.StartsWith("EtlRunner", StringComparison.Ordinal) == true);
        while (type?.DeclaringType is not null && type.Name.StartsWith('<'))
        {
            type = type.DeclaringType; // an async state machine or a lambda's closure: name the type that wrote it
        }

        return type?.Name ?? "etl";
    }
}
