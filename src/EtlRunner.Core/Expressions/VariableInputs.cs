namespace EtlRunner.Expressions;

/// <summary>
/// Where project variable values come from besides the YAML, highest first: <c>--var name=value</c>,
/// <c>ETL_VAR_NAME</c>, <c>--env-file</c>, the chosen <c>--environment</c>'s overrides.
/// </summary>
public sealed record VariableInputs
{
    public static VariableInputs None { get; } = new();

    public IReadOnlyDictionary<string, string> CommandLine { get; init; } = new Dictionary<string, string>();

    /// <summary>The folder the <c>--var</c> values were typed in: a path field starting with one resolves against it, not the YAML file's folder.</summary>
    public string? CommandLineDirectory { get; init; }

    /// <summary>Reads a process environment variable (injected so tests need not touch the real environment).</summary>
    public Func<string, string?> EnvironmentVariable { get; init; } = System.Environment.GetEnvironmentVariable;

    public string? EnvFilePath { get; init; }

    public IReadOnlyDictionary<string, string> EnvFile { get; init; } = new Dictionary<string, string>();

    /// <summary>The environment chosen with <c>--environment</c>, or null.</summary>
    public string? Environment { get; init; }

    /// <summary><c>ETL_VAR_</c> + the name upper-cased, <c>.</c> as <c>_</c>.</summary>
    public static string EnvironmentVariableName(string name) => "ETL_VAR_" + name.ToUpperInvariant().Replace('.', '_');
}
