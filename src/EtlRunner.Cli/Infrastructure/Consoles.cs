using Spectre.Console;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>Spectre consoles over the command's own writers, honouring NO_COLOR.</summary>
internal static class Consoles
{
    public static IAnsiConsole Create(TextWriter writer, bool noColor)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = noColor ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = noColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });

        // Redirected output has no width of its own: keep tables readable in logs and CI.
        if (writer != Console.Out || Console.IsOutputRedirected)
        {
            console.Profile.Width = 140;
        }

        return console;
    }
}
