using System.Text;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using EtlRunner.Model;

namespace EtlRunner.Validation;

/// <summary>
/// Checks the model of a loaded pipeline: the project's name, the names of connections and operations, the
/// rejects file each name gives, and the chains. <see cref="Planning.PipelineCompiler"/> runs it before planning.
/// </summary>
internal static class PipelineValidator
{
    /// <summary>Reports every model problem; returns the chains, for the checks that follow them.</summary>
    public static ChainGraph Check(PipelineDefinition pipeline, DiagnosticBag diagnostics)
    {
        if (string.IsNullOrWhiteSpace(pipeline.Project.Value))
        {
            diagnostics.Add(pipeline.Project.Location, ValidationErrors.NoProject());
        }

        CheckNames(pipeline.Connections.Select(c => c.Name), "connection", diagnostics);
        CheckNames(pipeline.Operations.Select(o => o.Name), "operation", diagnostics);
        CheckRejectsFileNames(pipeline.Operations.Select(o => o.Name), diagnostics);
        var chains = new ChainGraph(pipeline);
        chains.Check(diagnostics);
        Scheduling.ScheduleCheck.Check(pipeline, diagnostics);
        return chains;
    }

    private static void CheckNames(IEnumerable<Located> names, string kind, DiagnosticBag diagnostics)
    {
        var seen = new Dictionary<string, Located>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (name.Value.Length == 0)
            {
                continue; // reported as a missing required key
            }

            if (name.Value.IndexOfAny(['/', ':']) >= 0)
            {
                diagnostics.Add(name.Location, ValidationErrors.InvalidName(kind, name.Value));
            }

            if (!seen.TryAdd(name.Value, name))
            {
                diagnostics.Add(name.Location, ValidationErrors.DuplicateName(kind, name.Value, seen[name.Value].Location.Line));
            }
        }
    }

    /// <summary>Each operation's name becomes its rejects file's name (<c>.etl/rejects/RUN/NAME.jsonl</c>): it must fit, and be its own.</summary>
    private static void CheckRejectsFileNames(IEnumerable<Located> names, DiagnosticBag diagnostics)
    {
        var seen = new Dictionary<string, Located>(StringComparer.OrdinalIgnoreCase); // case-insensitive file systems too
        foreach (var name in names.Where(n => n.Value.Length > 0))
        {
            var file = RunContextNames.RejectsFileName(name.Value);
            var bytes = Encoding.UTF8.GetByteCount(file);
            if (bytes > RunContextNames.MaxFileNameBytes)
            {
                diagnostics.Add(name.Location, ValidationErrors.RejectsFileNameTooLong(name.Value, bytes, RunContextNames.MaxFileNameBytes));
            }
            else if (!seen.TryAdd(file, name) && seen[file].Value != name.Value)
            {
                diagnostics.Add(name.Location, ValidationErrors.SharedRejectsFile(name.Value, file, seen[file].Value, seen[file].Location.Line));
            }
        }
    }
}
