using System.Text.Json;
using EtlRunner.Connectors;

namespace EtlRunner.Execution;

/// <summary>
/// Keeps a connection's small state values (a rotated refresh token) in a JSON file in the state folder,
/// readable and writable by the owner only.
/// </summary>
internal sealed class FileConnectorState(string path) : IConnectorState
{
    private readonly Lock _gate = new();

    public string? Get(string key)
    {
        lock (_gate)
        {
            return Load().TryGetValue(key, out var value) ? value : null;
        }
    }

    public void Set(string key, string value)
    {
        lock (_gate)
        {
            var values = Load();
            values[key] = value;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + ".tmp";
            using (var stream = CreateOwnerOnly(temp))
            {
                JsonSerializer.Serialize(stream, values);
            }

            File.Move(temp, path, overwrite: true);
        }
    }

    private Dictionary<string, string> Load() =>
        File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? []
            : [];

    private static FileStream CreateOwnerOnly(string file)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(file, options);
    }
}
