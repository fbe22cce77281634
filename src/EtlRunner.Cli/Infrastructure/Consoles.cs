using Spectre.Console;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>Spectre consoles over the command's own writers, honouring NO_COLOR and a width set with COLUMNS.</summary>
internal static class Consoles
{
    /// <summary>A console over the command's stdout.</summary>
    public static IAnsiConsole Create(CliEnvironment environment) => Create(environment.Out, environment.NoColor, environment.Width);

    private static IAnsiConsole Create(TextWriter writer, bool noColor, int? width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = noColor ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = noColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });

        // Redirected output has no width of its own: keep tables readable in logs and CI.
        if (width is { } columns)
        {
            console.Profile.Width = columns;
        }
        else if (writer != Console.Out || Console.IsOutputRedirected)
        {
            console.Profile.Width = 140;
        }

        return console;
    }
}
