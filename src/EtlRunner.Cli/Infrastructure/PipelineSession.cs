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

    public SecretMasker Masker => environment.Secrets;

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
            // Under --sandbox the sandbox supplies the Constant Contact credentials: values are checked once it applied.
            var (partial, problems) = PipelineCheck.File(file, Registry, inputs, Masker, requireValues: settings is not FileCommandSettings { Sandbox: true });
            ReportProblems(problems, settings);
            if (partial is not null)
            {
                SecretsHint.Write(environment, Registry, partial, inputs, settings);
            }

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
            CommandLineDirectory = environment.WorkingDirectory,
            EnvironmentVariable = environment.EnvironmentVariable,
            EnvFilePath = settings.EnvFile,
            EnvFile = envFile,
            Environment = settings.Environment,
        };
        return inputs;
    }

    /// <summary>
    /// With <c>--sandbox</c>, starts the sandbox on the pipeline's sandbox data (kept in its state folder between runs)
    /// and returns the pipeline pointed at it; otherwise the pipeline as is, without loading the sandbox (ASP.NET Core).
    /// </summary>
    public Task<PipelineDefinition> ApplySandboxAsync(PipelineDefinition pipeline, FileCommandSettings settings, CancellationToken cancellationToken) =>
        settings.Sandbox ? StartSandboxAsync(pipeline, settings, cancellationToken) : Task.FromResult(pipeline);

    private async Task<PipelineDefinition> StartSandboxAsync(PipelineDefinition pipeline, FileCommandSettings settings, CancellationToken cancellationToken)
    {
        var dataFile = Layout(settings, pipeline).SandboxDataFile(pipeline.FilePath);
        var sandbox = await SandboxSwitch.StartAsync(dataFile, environment.TimeProvider, cancellationToken);
        _sandbox = sandbox;
        if (!settings.Quiet)
        {
            environment.Error.WriteLine($"Constant Contact sandbox at {sandbox.Sandbox.BaseUrl} (in-process, 4 requests/s like the real API): every constantcontact connection points at it, with sandbox credentials. Nothing leaves this machine. Its data is kept in {dataFile} (etl sandbox reset {pipeline.FilePath} starts it afresh).");
        }

        return sandbox.Apply(pipeline, Registry);
    }

    /// <summary>Where state goes: --state-dir, else .etl beside the file (.etl/sandbox for sandbox runs).</summary>
    public static StateLayout Layout(FileCommandSettings settings, PipelineDefinition pipeline) =>
        StateLayout.For(pipeline.BaseDirectory, settings.StateDirectory, settings.Sandbox);

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
    public void ReportSandbox(FileCommandSettings settings)
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

    public ILoggerFactory CreateLoggerFactory(ILogSettings settings)
    {
        var factory = CliLogging.Create(environment, settings, Masker);
        _owned.Add(factory);
        return factory;
    }

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
