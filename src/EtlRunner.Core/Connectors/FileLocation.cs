namespace EtlRunner.Connectors;

/// <summary>Whether a target can create a file where the pipeline says, for the Test button of file-based connectors.</summary>
public static class FileLocation
{
    /// <summary>
    /// The nearest existing folder of <paramref name="path"/> when the file can be created there (no part of the path
    /// is a file, and that folder is writable: a temporary file is created and deleted), else null and why not.
    /// </summary>
    public static (string? Folder, string? Problem) CheckCreatable(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        while (folder is not null && !Directory.Exists(folder))
        {
            if (File.Exists(folder))
            {
                return (null, $"cannot create {path}: {folder} is a file, not a folder; point the path at a folder");
            }

            folder = Path.GetDirectoryName(folder);
        }

        if (folder is null)
        {
            return (null, $"cannot create {path}: no part of its folder exists");
        }

        try
        {
            var probe = Path.Combine(folder, $".etl-write-test-{Guid.NewGuid():N}.tmp");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return (folder, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot create {path}: the folder {folder} is not writable ({ex.Message})");
        }
    }
}
