using System.Text.Json;
using EtlRunner.Scheduling;

namespace EtlRunner.Cli.Agent;

/// <summary>
/// The embedded agent's <see cref="IAgentBoard"/>: <c>agent-status.json</c> in the state folder, replaced whole (written
/// aside, then renamed) at each check-in, so a reader never sees half of it. An agent that has not checked in for
/// <see cref="AliveFor"/> is stopped or dead, and its running operations are not shown.
/// </summary>
internal sealed class StatusBoardFile(string stateDirectory) : IAgentBoard
{
    public const string FileName = "agent-status.json";

    /// <summary>How often a running agent checks in.</summary>
    public static readonly TimeSpan CheckIn = TimeSpan.FromSeconds(2);

    /// <summary>An agent silent for longer is not alive.</summary>
    public static readonly TimeSpan AliveFor = CheckIn * 5;

    private string Path => System.IO.Path.Combine(stateDirectory, FileName);

    public void Publish(AgentView agent, IReadOnlyList<RunningOperation> running)
    {
        var aside = Path + ".tmp";
        File.WriteAllBytes(aside, JsonSerializer.SerializeToUtf8Bytes(new Board(agent, running), StatusJson.Relaxed.Board));
        File.Move(aside, Path, overwrite: true);
    }

    public (IReadOnlyList<AgentView> Agents, IReadOnlyList<RunningOperation> Running) Read(DateTimeOffset now)
    {
        Board? board;
        try
        {
            board = JsonSerializer.Deserialize(File.ReadAllBytes(Path), StatusJson.Relaxed.Board);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return ([], []);
        }

        if (board is null)
        {
            return ([], []);
        }

        var alive = board.Agent.Alive && now - board.Agent.LastCheckIn < AliveFor;
        return ([board.Agent with { Alive = alive }], alive ? board.Running : []);
    }

    internal sealed record Board(AgentView Agent, IReadOnlyList<RunningOperation> Running);
}
