using EtlRunner.Diagnostics;
using EtlRunner.Model;

namespace EtlRunner.Expressions;

/// <summary>A project variable with the value that will be used and where it came from.</summary>
public sealed record ProjectVariable(string Name, object? Value, bool Secret, string Source, SourceLocation Location)
{
    /// <summary>True when the value came from outside the YAML (--var, environment, env file): it is data, never re-read for <c>[references]</c>.</summary>
    public bool IsData { get; init; }

    public string? Description { get; init; }

    /// <summary>Where a relative path starting with this value resolves (the folder <c>--var</c> was typed in); null: the YAML file's folder.</summary>
    public string? BaseDirectory { get; init; }

    public bool HasValue => Value is not null;
}

/// <summary>The project variables of a pipeline, resolved by precedence: --var, ETL_VAR_*, --env-file, --environment, YAML default.</summary>
public sealed class ProjectVariables
{
    private readonly Dictionary<string, ProjectVariable> _variables;

    private ProjectVariables(Dictionary<string, ProjectVariable> variables)
    {
        _variables = variables;
    }

    public IEnumerable<ProjectVariable> All => _variables.Values;

    /// <summary>Shared by every scope that resolves references against these variables.</summary>
    public ExpansionBudget Expansion { get; } = new();

    public bool TryGet(string name, out ProjectVariable variable) => _variables.TryGetValue(name, out variable!);

    public static ProjectVariables Resolve(PipelineDefinition pipeline, VariableInputs inputs, DiagnosticBag diagnostics)
    {
        var environment = inputs.Environment is null ? null : pipeline.FindEnvironment(inputs.Environment);
        if (inputs.Environment is not null && environment is null)
        {
            var known = pipeline.Environments.Select(e => e.Name.Value).ToList();
            diagnostics.Add(
                new SourceLocation(pipeline.FilePath, 0, 0),
                ValidationErrors.UnknownEnvironment(inputs.Environment, known));
        }

        // A name used as [name{fallback}] is an optional variable: it may be set from outside like a declared one.
        var optional = FallbackNames(pipeline).Where(n => pipeline.Variables.All(v => v.Name.Value != n) && !SystemVariables.IsSystemName(n)).ToList();
        var definitions = pipeline.Variables
            .Concat(optional.Select(n => new VariableDefinition(new Located(n, new SourceLocation(pipeline.FilePath, 0, 0)), null, "optional: referenced with a fallback", false)))
            .ToList();
        var declared = definitions.Select(v => v.Name.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var name in inputs.CommandLine.Keys.Where(n => !declared.Contains(n)))
        {
            diagnostics.Add(
                new SourceLocation(pipeline.FilePath, 0, 0),
                ValidationErrors.UndeclaredCommandLineVariable(name, declared));
        }

        foreach (var (name, _) in environment?.Variables ?? [])
        {
            if (!declared.Contains(name.Value))
            {
                diagnostics.Add(name.Location, ValidationErrors.UndeclaredEnvironmentVariable(environment!.Name.Value, name.Value, declared));
            }
        }

        var result = new Dictionary<string, ProjectVariable>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            var name = definition.Name.Value;
            if (!VariableTemplate.IsValidName(name) || name.StartsWith("system.", StringComparison.Ordinal) || name.StartsWith("jitterbit.", StringComparison.Ordinal))
            {
                diagnostics.Add(definition.Name.Location, ValidationErrors.InvalidVariableName(name));
            }

            result[name] = Pick(definition, environment, inputs);
        }

        return new ProjectVariables(result);
    }

    private static IEnumerable<string> FallbackNames(PipelineDefinition pipeline)
    {
        var fields = pipeline.Connections.SelectMany(c => c.Fields.Values)
            .Concat(pipeline.Operations.SelectMany(o => (o.Source?.Parameters.Values ?? []).Concat(o.Target?.Parameters.Values ?? []).Concat(o.Options.Values)));
        return fields.SelectMany(Texts)
            .SelectMany(t => VariableTemplate.Parse(t).References)
            .Where(r => r.Fallback is not null)
            .Select(r => r.Name)
            .Distinct(StringComparer.Ordinal);
    }

    private static IEnumerable<string> Texts(FieldValue field) => field.Value switch
    {
        string text => [text],
        IReadOnlyList<FieldValue> items => items.SelectMany(Texts),
        IReadOnlyDictionary<string, FieldValue> map => map.Values.SelectMany(Texts),
        _ => [],
    };

    private static ProjectVariable Pick(VariableDefinition definition, EnvironmentDefinition? environment, VariableInputs inputs)
    {
        var name = definition.Name.Value;
        var location = definition.Name.Location;
        ProjectVariable Data(string value, string source) =>
            new(name, value, definition.Secret, source, location) { IsData = true, Description = definition.Description };

        if (inputs.CommandLine.TryGetValue(name, out var fromCommandLine))
        {
            return Data(fromCommandLine, "--var") with { BaseDirectory = inputs.CommandLineDirectory };
        }

        var environmentName = VariableInputs.EnvironmentVariableName(name);
        if (inputs.EnvironmentVariable(environmentName) is { } fromEnvironment)
        {
            return Data(fromEnvironment, $"environment variable {environmentName}");
        }

        if (inputs.EnvFile.TryGetValue(name, out var fromFile) || inputs.EnvFile.TryGetValue(environmentName, out fromFile))
        {
            return Data(fromFile, $"env file {inputs.EnvFilePath}");
        }

        var over = environment?.Variables.FirstOrDefault(v => v.Key.Value == name);
        if (over is { Key: not null } found)
        {
            return new ProjectVariable(name, found.Value.Value, definition.Secret, $"environment '{environment!.Name.Value}'", found.Value.Location)
            {
                Description = definition.Description,
            };
        }

        return new ProjectVariable(name, definition.Value?.Value, definition.Secret, definition.Value is null ? "not set" : "default", definition.Value?.Location ?? location)
        {
            Description = definition.Description,
        };
    }
}
