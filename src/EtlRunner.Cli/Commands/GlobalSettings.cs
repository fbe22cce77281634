using System.ComponentModel;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary>Options every command takes.</summary>
public class GlobalSettings : CommandSettings
{
    [CommandOption("--debug")]
    [Description("On an unexpected error, print its stack trace (secrets masked), as --log-level trace does.")]
    public bool Debug { get; set; }
}
