using System.Diagnostics.CodeAnalysis;
using EtlRunner.Cli.Commands;
using EtlRunner.Cli.Output;
using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Loading;
using EtlRunner.State;
using EtlRunner.Validation;
using EtlRunner.Model;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// What the run, plan and test commands share: load the file, gather variable inputs exactly as the run will,
/// set up logging with masking, and report problems as <c>file:line:column: message</c>.
/// </summary>
internal sealed class PipelineSession(CliEnvironment environment) : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = [];
    private SandboxSwitch? _sandbox;

    public ConnectorRegistry Registry { get; } = environment.Connectors();

    public SecretMasker Masker { get; } = new();

    public CliEnvironment Environment => environment;

    /// <summary>Gathers the variable inputs and loads the file; false (after printing why) when either fails.</summary>
    public bool TryLoad(string file, PipelineSettings settings, [NotNullWhen(true)] out PipelineDefinition? pipeline, [NotNullWhen(true)] out VariableInputs? inputs)
    {
        inputs = Inputs(settings);
        pipeline = inputs is null ? null : Load(file, settings, inputs);
        return pipeline is not null;
    }

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

    /// <summary>With <c>--sandbox</c>, starts the sandbox and returns the pipeline pointed at it; otherwise the pipeline as is.</summary>
    public async Task<PipelineDefinition> ApplySandboxAsync(PipelineDefinition pipeline, FileSettings settings, CancellationToken cancellationToken)
    {
        if (!settings.Sandbox)
        {
            return pipeline;
        }

        var sandbox = await SandboxSwitch.StartAsync(environment.TimeProvider, cancellationToken);
        _sandbox = sandbox;
        if (!settings.Quiet)
        {
            environment.Error.WriteLine($"Constant Contact sandbox at {sandbox.Sandbox.BaseUrl} (in-process, 4 requests/s like the real API): every constantcontact connection points at it, with sandbox credentials. Nothing leaves this machine.");
        }

        return sandbox.Apply(pipeline);
    }

    /// <summary>Where state goes: --state-dir, else .etl beside the file (.etl/sandbox for sandbox runs).</summary>
    public static string StateDirectory(FileSettings settings, PipelineDefinition pipeline) =>
        Path.GetFullPath(settings.StateDirectory ?? (settings.Sandbox ? Path.Combine(pipeline.BaseDirectory, ".etl", "sandbox") : Path.Combine(pipeline.BaseDirectory, ".etl")));

    /// <summary>Opens the state database of the given folder (closed with the session); false (after printing why) when it is unreadable.</summary>
    public bool TryOpenState(string stateDirectory, PipelineSettings settings, [NotNullWhen(true)] out SqliteStateStore? store)
    {
        try
        {
            store = new SqliteStateStore(stateDirectory);
        }
        catch (StateDatabaseException ex)
        {
            ReportProblems([new Diagnostic(new SourceLocation(ex.Path, 0, 0), ex.Message)], settings);
            store = null;
            return false;
        }

        _owned.Add(store);
        return true;
    }

    /// <summary>Prints what the sandbox served, by route and status, unless quiet.</summary>
    public void ReportSandbox(FileSettings settings)
    {
        if (_sandbox is not null && !settings.Quiet)
        {
            environment.Error.WriteLine("Constant Contact sandbox served " + _sandbox.Sandbox.Stats.Total + " request(s):");
            environment.Error.WriteLine(_sandbox.Sandbox.Stats.Format());
        }
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

    public ILoggerFactory CreateLoggerFactory(FileSettings settings) => CreateLoggerFactory(settings.LogLevel, settings.LogFile, settings.Quiet);

    /// <summary>Log lines on stderr at <paramref name="logLevel"/> (errors only when quiet), and in <paramref name="logFile"/> if given, all masked.</summary>
    public ILoggerFactory CreateLoggerFactory(string logLevel, string? logFile, bool quiet)
    {
        var level = ParseLevel(logLevel);
        var factory = LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Trace);
            if (!quiet || level >= LogLevel.Error)
            {
                builder.AddProvider(new LineLoggerProvider(environment.Error, quiet ? LogLevel.Error : level, Masker, environment.TimeProvider, ownsWriter: false));
            }

            if (logFile is { } file)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                var writer = new StreamWriter(file, append: true);
                var fileLevel = string.Equals(logLevel, "warning", StringComparison.OrdinalIgnoreCase) ? LogLevel.Information : level;
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

    public async ValueTask DisposeAsync()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }

        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }
}
