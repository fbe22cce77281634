namespace EtlRunner.Cli.Infrastructure;

/// <summary>Expands command-line paths into pipeline files: files as given, folders searched for .yaml/.yml (skipping .etl and hidden folders).</summary>
internal static class PipelineFiles
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths, out IReadOnlyList<string> missing)
    {
        var files = new List<string>();
        var notFound = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Search(path));
            }
            else
            {
                notFound.Add(path);
            }
        }

        missing = notFound;
        return files;
    }

    private static IEnumerable<string> Search(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            if (file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            {
                yield return file;
            }
        }

        foreach (var child in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            if (!Path.GetFileName(child).StartsWith('.'))
            {
                foreach (var file in Search(child))
                {
                    yield return file;
                }
            }
        }
    }
}
