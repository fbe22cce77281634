namespace EtlRunner.Cli.Commands;

/// <summary>The logging options a command takes: <c>--log-level</c>, <c>--log-file</c>, <c>--log-format</c>, <c>--quiet</c>.</summary>
public interface ILogSettings
{
    /// <summary>A key of <see cref="FileCommandSettings.LogLevels"/>, checked when the command line is parsed.</summary>
    string LogLevel { get; }

    string? LogFile { get; }

    /// <summary>text or json.</summary>
    string LogFormat { get; }

    bool Quiet { get; }
}
