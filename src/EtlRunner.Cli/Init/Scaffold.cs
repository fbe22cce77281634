using EtlRunner.Connectors;
using EtlRunner.Schema;

namespace EtlRunner.Cli.Init;

/// <summary>One file of the scaffold: its path inside the folder ('/' separated), what it is, and its text.</summary>
internal sealed record ScaffoldFile(string Path, string Purpose, string Content);

/// <summary>The pipeline repository <c>etl init</c> writes: a team can commit it at once and run it with <c>--sandbox</c>.</summary>
internal static class Scaffold
{
    public static IReadOnlyList<ScaffoldFile> Files(ConnectorRegistry registry) =>
    [
        new("pipelines/contacts.yaml", "Constant Contact contacts into out/contacts.db", ScaffoldTemplates.ContactsPipeline),
        new("schema/pipeline.schema.json", "the pipeline schema, for editors", PipelineSchema.Generate(registry)),
        new(".env.example", "the variables to fill for a real account", ScaffoldTemplates.EnvExample),
        new(".gitignore", "keeps .env, .etl/ and out/ out of git", ScaffoldTemplates.GitIgnore),
        new("README.md", "how to run, fill .env and validate in CI", ScaffoldTemplates.Readme),
    ];

    /// <summary>The paths of <paramref name="files"/> already taken in <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> Existing(string folder, IEnumerable<ScaffoldFile> files) =>
        files.Select(f => f.Path).Where(p => File.Exists(Resolve(folder, p)) || Directory.Exists(Resolve(folder, p))).ToList();

    /// <summary>Writes every file (UTF-8, LF), creating the folders it needs.</summary>
    public static void Write(string folder, IEnumerable<ScaffoldFile> files)
    {
        foreach (var file in files)
        {
            var path = Resolve(folder, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content);
        }
    }

    public static string Resolve(string folder, string path) => Path.Combine(folder, path.Replace('/', Path.DirectorySeparatorChar));
}
