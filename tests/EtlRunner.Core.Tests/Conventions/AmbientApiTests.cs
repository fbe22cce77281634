using System.Text.RegularExpressions;

namespace EtlRunner.Core.Tests.Conventions;

/// <summary>
/// The engine, the connectors and the state store take time and randomness from what they are given
/// (<see cref="TimeProvider"/>: no clock, stopwatch, sleep or delay of their own), and never write to the console themselves: the CLI owns the terminal.
/// </summary>
public sealed partial class AmbientApiTests
{
    private static readonly string[] Projects =
    [
        "EtlRunner.Core", "EtlRunner.State", "EtlRunner.Connectors.Csv", "EtlRunner.Connectors.Sqlite", "EtlRunner.Connectors.ConstantContact",
    ];

    [Fact]
    public void EngineAndConnectors_UseNoAmbientClockRandomnessOrConsole()
    {
        var root = RepositoryRoot();
        var uses = new List<string>();
        foreach (var project in Projects)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src", project), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    var code = lines[i].TrimStart();
                    if (!code.StartsWith("//", StringComparison.Ordinal) && Banned().Match(code) is { Success: true } match)
                    {
                        uses.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {match.Value}");
                    }
                }
            }
        }

        Assert.True(uses.Count == 0, "use the injected TimeProvider (and leave the console to the CLI):\n" + string.Join('\n', uses));
    }

    [Fact]
    public void BannedPattern_FindsEachAmbientApi()
    {
        string[] samples = ["var t = DateTime.Now;", "DateTimeOffset.UtcNow", "DateTime.UtcNow", "new Random(1)", "Random.Shared.Next()", "Console.WriteLine(x)", "Environment.TickCount64",
            "var watch = Stopwatch.StartNew();", "Stopwatch.GetTimestamp()", "Thread.Sleep(10);", "await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);"];

        Assert.All(samples, s => Assert.Matches(Banned(), s));
        Assert.DoesNotMatch(Banned(), "time.GetUtcNow()");
        Assert.DoesNotMatch(Banned(), "await Task.Delay(delay, _time, cancellationToken);");
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "EtlRunner.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("EtlRunner.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\bDateTime(Offset)?\.(Now|UtcNow|Today)\b|\bnew Random\s*\(|\bRandom\.Shared\b|\bConsole\.\w+|\bEnvironment\.TickCount|\bStopwatch\.|\bThread\.Sleep\b|\bTask\.Delay\((?![^;]*[tT]ime\b)", RegexOptions.CultureInvariant)]
    private static partial Regex Banned();
}
