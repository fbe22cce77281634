using EtlRunner.Expressions;
using EtlRunner.State;
#if !ETL_NATIVE
using Npgsql;
#endif

namespace EtlRunner.Cli.Infrastructure;

/// <summary>An agent group's run state for the commands that read or change it (<c>--cluster</c>).</summary>
internal static class ClusterState
{
    /// <summary>Opens the group's state; its password is masked in every output from here on.</summary>
    /// <exception cref="StateDatabaseException">The connection is malformed, or PostgreSQL cannot be used; named without its password.</exception>
#if ETL_NATIVE
    // The native build hands every --cluster line to the JIT build (JitHandover): PostgreSQL's client is not compiled in.
    public static PostgresStateStore Open(string cluster, SecretMasker masker) =>
        throw new System.Diagnostics.UnreachableException("--cluster is handed to the JIT build before the line is parsed");
#else
    public static PostgresStateStore Open(string cluster, SecretMasker masker)
    {
        NpgsqlConnectionStringBuilder connection;
        try
        {
            connection = PostgresConnection.Parse(cluster);
        }
        catch (ArgumentException ex)
        {
            throw new StateDatabaseException("--cluster", ex.Message);
        }

        masker.Add(connection.Password);
        try
        {
            return PostgresStateStore.Open(connection);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new StateDatabaseException(PostgresConnection.Describe(connection),
                $"cannot use PostgreSQL (--cluster): {masker.Apply(ex.Message)}; check that it runs, and that the user may create tables there");
        }
    }
#endif
}
