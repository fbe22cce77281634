using System.Security.Cryptography;
using EtlRunner.State;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EtlRunner.Cli.Agent;

/// <summary>
/// This agent's membership of an agent group (<c>--cluster</c>, <c>--group</c>): the database, the agent's name held
/// for as long as it runs (a session advisory lock, released by the server when the agent dies in any way, so a
/// second agent of the same name in the group is refused), and the version of each pipeline the group runs.
/// </summary>
internal sealed class AgentGroup : IDisposable
{
    private readonly NpgsqlConnection _membership;

    private AgentGroup(string group, string name, NpgsqlConnectionStringBuilder connection, NpgsqlDataSource source, NpgsqlConnection membership)
    {
        (Group, Name, Connection, Source, _membership) = (group, name, connection, source, membership);
    }

    public string Group { get; }

    public string Name { get; }

    /// <summary>The connection, password included (for Quartz's job store); never print it: <see cref="Description"/> is what logs show.</summary>
    public NpgsqlConnectionStringBuilder Connection { get; }

    public string Description => PostgresConnection.Describe(Connection);

    public NpgsqlDataSource Source { get; }

    /// <summary>Quartz's scheduler name for the group: its jobs, triggers and check-ins are kept apart from other groups'.</summary>
    public string InstanceName => PostgresSchema.SchedulerName(Group);

    /// <summary>Joins <paramref name="group"/> as <paramref name="name"/>, creating the state tables when missing.</summary>
    /// <exception cref="RunLockedException">An agent of that name is running in the group.</exception>
    public static AgentGroup Join(NpgsqlConnectionStringBuilder connection, string group, string name)
    {
        var source = NpgsqlDataSource.Create(connection);
        try
        {
            PostgresStateStore.CreateSchema(source);
            var membership = source.OpenConnection();
            if (!TryHoldName(membership, null, group, name))
            {
                membership.Dispose();
                throw new RunLockedException(
                    $"an agent named {name} is already running in group {group} on {PostgresConnection.Describe(connection)}; agent names are unique in a group: give this one another --name");
            }

            // What an earlier life of this agent skipped is re-decided as it registers its pipelines now.
            PostgresSql.Execute(membership, null, "DELETE FROM etl_agent_skips WHERE agent_group = @g AND agent = @a", ("g", group), ("a", name));
            return new AgentGroup(group, name, connection, source, membership);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Registers this agent's copy of a pipeline, by content hash, and says whether its schedules run here: yes when
    /// the group has no version yet, the same one, or one registered by an agent that no longer runs (this copy then
    /// becomes the group's); no, with the reason logged, when a running agent registered another version. Yes is the
    /// Quartz execution group of that version (<see cref="VersionGroup"/>), which the pipeline's triggers carry and
    /// which this agent serves; no is null.
    /// </summary>
    public string? Register(string pipelineId, string file, ILogger logger)
    {
        var hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))[..16].ToLowerInvariant();
        using var connection = Source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        PostgresSql.Execute(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext('etl-pipeline:' || @g || ':' || @p))", ("g", Group), ("p", pipelineId));
        string? registered = null, by = null;
        using (var reader = PostgresSql.Command(connection, transaction, "SELECT hash, agent FROM etl_pipelines WHERE agent_group = @g AND pipeline = @p", ("g", Group), ("p", pipelineId)).ExecuteReader())
        {
            if (reader.Read())
            {
                (registered, by) = (reader.GetString(0), reader.GetString(1));
            }
        }

        if (registered is not null && registered != hash && by != Name && IsRunning(connection, transaction, by!))
        {
            logger.LogWarning(
                "{Pipeline}: this agent's copy ({File}, content hash {Hash}) differs from the version group {Group} runs (hash {Registered}, registered by agent {Agent}): its schedules are skipped on this agent, the others run. Deploy the same file to every agent of the group",
                pipelineId, file, hash, Group, registered, by);
            PostgresSql.Execute(connection, transaction,
                """
                INSERT INTO etl_agent_skips (agent_group, agent, pipeline, reason) VALUES (@g, @a, @p, @r)
                ON CONFLICT (agent_group, agent, pipeline) DO UPDATE SET reason = EXCLUDED.reason
                """, ("g", Group), ("a", Name), ("p", pipelineId), ("r", $"its copy (hash {hash}) differs from the version the group runs (hash {registered}, registered by agent {by})"));
            transaction.Commit();
            return null;
        }

        PostgresSql.Execute(connection, transaction, "DELETE FROM etl_agent_skips WHERE agent_group = @g AND agent = @a AND pipeline = @p", ("g", Group), ("a", Name), ("p", pipelineId));

        if (registered != hash || by != Name)
        {
            PostgresSql.Execute(connection, transaction,
                """
                INSERT INTO etl_pipelines (agent_group, pipeline, hash, agent, registered_at) VALUES (@g, @p, @h, @a, now())
                ON CONFLICT (agent_group, pipeline) DO UPDATE SET hash = EXCLUDED.hash, agent = EXCLUDED.agent, registered_at = EXCLUDED.registered_at
                """, ("g", Group), ("p", pipelineId), ("h", hash), ("a", Name));
            if (registered is not null && registered != hash)
            {
                logger.LogInformation("{Pipeline}: this agent's copy (hash {Hash}) is now the version group {Group} runs (it was {Registered}, by agent {Agent}, which is not running)", pipelineId, hash, Group, registered, by);
            }
        }

        transaction.Commit();
        return VersionGroup(pipelineId, hash);
    }

    /// <summary>
    /// The Quartz execution group of one version of a pipeline: <c>etl:HASH:PIPELINE</c>, the file's content hash and
    /// a short hash of the pipeline's id (ids can be long paths; the column holds 200 characters). Each agent of a
    /// group serves only the execution groups of the versions it registered, so Quartz's clustered store hands a
    /// pipeline's fires (and the recovery of an interrupted one, which keeps its execution group) only to agents
    /// holding the version the group runs; while none runs, they wait in the store.
    /// </summary>
    public static string VersionGroup(string pipelineId, string hash) =>
        $"etl:{hash}:{Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(pipelineId)))[..8].ToLowerInvariant()}";

    /// <summary>What an agent serves besides its versions, so that its list is never empty (Quartz reads an empty one as "every group").</summary>
    public string NoVersionGroup => "etl:none:" + Name;

    public void Dispose()
    {
        _membership.Dispose(); // the server releases the name
        Source.Dispose();
    }

    private static bool TryHoldName(NpgsqlConnection connection, NpgsqlTransaction? transaction, string group, string name) =>
        (bool)PostgresSql.Command(connection, transaction, "SELECT pg_try_advisory_lock(hashtext('etl-agent'), hashtext(@g || ':' || @n))", ("g", group), ("n", name)).ExecuteScalar()!;

    /// <summary>Whether the agent <paramref name="name"/> runs: it holds its name (taken and let go at once when it does not).</summary>
    private bool IsRunning(NpgsqlConnection connection, NpgsqlTransaction transaction, string name)
    {
        if (!TryHoldName(connection, transaction, Group, name))
        {
            return true;
        }

        PostgresSql.Execute(connection, transaction, "SELECT pg_advisory_unlock(hashtext('etl-agent'), hashtext(@g || ':' || @n))", ("g", Group), ("n", name));
        return false;
    }
}
