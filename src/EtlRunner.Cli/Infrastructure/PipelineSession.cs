using EtlRunner.Cli.Commands;
using EtlRunner.Cli.Output;
using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Loading;
using EtlRunner.Validation;
using EtlRunner.Model;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// What the run, plan and test commands share: load the file, gather variable inputs exactly as the run will,
/// set up logging with masking, and report problems as <c>file:line:column: message</c>.
/// </summary>
internal sealed class PipelineSession(CliEnvironment environment) : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public ConnectorRegistry Registry { get; } = environment.Connectors();

    public SecretMasker Masker { get; } = new();

    public CliEnvironment Environment => environment;

    /// <summary>Loads the file; when it does not even load, prints every problem (shape and meaning) and returns null.</summary>
    public PipelineDefinition? Load(string file, PipelineSettings settings, VariableInputs inputs)
    {
        var result = new PipelineLoader(Registry).LoadFile(file);
        if (result.Diagnostics.Count > 0 || result.Pipeline is null)
        {
            ReportProblems(PipelineCheck.File(file, Registry, inputs, Masker, requireValues: true).Problems, settings);
            return null;
        }

        return result.Pipeline;
    }

    /// <summary>The --var, ETL_VAR_*, --env-file and --environment inputs; null (after printing why) when the env file cannot be read.</summary>
    public VariableInputs? Inputs(PipelineSettings settings)
    {
        IReadOnlyDictionary<string, string> envFile = new Dictionary<string, string>();
        if (settings.EnvFile is { } path)
        {
            try
            {
                envFile = DotEnvFile.Read(path);
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
            {
                ReportProblems([new Diagnostic(new SourceLocation(path, 0, 0), "cannot read the env file: " + ex.Message)], settings);
                return null;
            }
        }

        var inputs = new VariableInputs
        {
            CommandLine = settings.ParseVariables(),
            EnvironmentVariable = environment.EnvironmentVariable,
            EnvFilePath = settings.EnvFile,
            EnvFile = envFile,
            Environment = settings.Environment,
        };
        return inputs;
    }

    public void ReportProblems(IReadOnlyList<Diagnostic> diagnostics, PipelineSettings settings)
    {
        if (settings.Json)
        {
            JsonOutput.WriteProblems(environment.Out, diagnostics, Masker);
            return;
        }

        foreach (var diagnostic in diagnostics)
        {
            environment.Error.WriteLine(Masker.Apply(diagnostic.ToString()));
        }
    }

    public ILoggerFactory CreateLoggerFactory(FileSettings settings)
    {
        var level = ParseLevel(settings.LogLevel);
        var factory = LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Trace);
            if (!settings.Quiet || level >= LogLevel.Error)
            {
                builder.AddProvider(new LineLoggerProvider(environment.Error, settings.Quiet ? LogLevel.Error : level, Masker, environment.TimeProvider, ownsWriter: false));
            }

            if (settings.LogFile is { } file)
            {
                var writer = new StreamWriter(file, append: true);
                var fileLevel = string.Equals(settings.LogLevel, "warning", StringComparison.OrdinalIgnoreCase) ? LogLevel.Information : level;
                builder.AddProvider(new LineLoggerProvider(writer, fileLevel, Masker, environment.TimeProvider, ownsWriter: true));
            }
        });
        _owned.Add(factory);
        return factory;
    }

    public static LogLevel ParseLevel(string text) => text.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "information" or "info" => LogLevel.Information,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        "none" => LogLevel.None,
        _ => LogLevel.Warning,
    };

    public void Dispose()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }
    }
}
