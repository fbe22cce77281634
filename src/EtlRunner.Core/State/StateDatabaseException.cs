namespace EtlRunner.State;

/// <summary>The state database cannot be used as it is; the message says what to do, <see cref="Path"/> names the file.</summary>
public sealed class StateDatabaseException(string path, string message) : Exception(message)
{
    /// <summary>The state database file.</summary>
    public string Path { get; } = path;

    public static StateDatabaseException Unreadable(string path, string reason) => new(
        path,
        $"not a readable state database ({reason}). It holds run history, watermarks and the write ledger; "
        + $"move it away (mv {path} {path}.broken) or delete it with `etl state reset FILE --all`, then run again: "
        + "a new one is created, and targets that already hold data check each record before writing it.");
}
