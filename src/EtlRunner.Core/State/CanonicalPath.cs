namespace EtlRunner.State;

/// <summary>A path with every symbolic link resolved (in the file and in its folders), so one file has one name.</summary>
public static class CanonicalPath
{
    /// <summary>The canonical form of <paramref name="path"/>; the file need not exist.</summary>
    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full);
        if (parent is null)
        {
            return full; // the root
        }

        var joined = Path.Combine(Of(parent), Path.GetFileName(full));
        var link = new FileInfo(joined);
        return link.LinkTarget is not null && link.ResolveLinkTarget(returnFinalTarget: true) is { } target ? Of(target.FullName) : joined;
    }
}
