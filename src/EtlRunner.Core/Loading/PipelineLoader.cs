using System.Text;
using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Model;

namespace EtlRunner.Loading;

/// <summary>The result of loading one file: the model when its shape is usable, and every problem found.</summary>
public sealed record LoadResult(PipelineDefinition? Pipeline, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>Reads a pipeline file into a <see cref="PipelineDefinition"/>, checking its shape against <see cref="PipelineKeys"/> and the connectors' descriptors.</summary>
public sealed class PipelineLoader(ConnectorRegistry registry)
{
    public const long MaxFileBytes = 32 * 1024 * 1024;

    public LoadResult LoadFile(string path)
    {
        var diagnostics = new DiagnosticBag();
        var file = new SourceLocation(path, 0, 0);
        if (Directory.Exists(path))
        {
            diagnostics.Add(file, LoadErrors.IsAFolder());
            return new LoadResult(null, diagnostics.Items);
        }

        if (!File.Exists(path))
        {
            diagnostics.Add(file, LoadErrors.FileNotFound());
            return new LoadResult(null, diagnostics.Items);
        }

        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            diagnostics.Add(file, LoadErrors.TooLarge(length, MaxFileBytes));
            return new LoadResult(null, diagnostics.Items);
        }

        try
        {
            return Load(path, File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true)));
        }
        catch (DecoderFallbackException)
        {
            diagnostics.Add(file, LoadErrors.NotUtf8());
            return new LoadResult(null, diagnostics.Items);
        }
    }

    private LoadResult Load(string path, string text)
    {
        var diagnostics = new DiagnosticBag();
        var root = YamlTreeReader.Read(path, text, diagnostics);
        if (root is null)
        {
            if (!diagnostics.HasErrors)
            {
                diagnostics.Add(new SourceLocation(path, 1, 1), LoadErrors.Empty());
            }

            return new LoadResult(null, diagnostics.Sorted());
        }

        var nodes = new NodeReader(diagnostics);
        var top = nodes.Mapping(root, "the pipeline file");
        if (top is null)
        {
            return new LoadResult(null, diagnostics.Sorted());
        }

        nodes.CheckKeys(top, "the pipeline", PipelineKeys.Top.Select(k => k.Name), PipelineKeys.Top.Where(k => k.Required).Select(k => k.Name));
        var sections = new SectionReader(nodes, registry);
        var connections = sections.Connections(top["connections"]);
        var pipeline = new PipelineDefinition(
            path,
            nodes.Text(top["project"], "project") ?? new Located(string.Empty, top.Location),
            sections.Variables(top["variables"]),
            sections.Environments(top["environments"]),
            connections,
            sections.Operations(top["operations"], connections))
        {
            Tests = new TestReader(nodes).Read(top["tests"]),
            Schedules = new ScheduleReader(nodes).Read(top["schedules"]),
        };
        return new LoadResult(pipeline, diagnostics.Sorted());
    }
}
