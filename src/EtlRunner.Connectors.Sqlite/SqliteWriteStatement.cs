using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// The prepared statement for records of one schema: prepared once, then reused for every record
/// with only the parameter values bound anew.
/// </summary>
internal sealed class SqliteWriteStatement : IDisposable
{
    private readonly SqliteRawStatement? _statement;
    private readonly SqliteConnection _connection;
    private readonly SqliteWritePlan _plan;
    private readonly SqliteSinkOptions _options;
    private SqliteWriteMatch? _match;
    private int[]? _stableFields;

    public SqliteWriteStatement(SqliteConnection connection, SqliteWritePlan plan, SqliteSinkOptions options)
    {
        _connection = connection;
        _plan = plan;
        _options = options;
        _statement = plan.Sql is null ? null : new SqliteRawStatement(connection, plan.Sql);
    }

    /// <summary>Writes one record: <see cref="SqliteWriteOutcome.Written"/>, skipped, or rejected with the reason.</summary>
    /// <exception cref="SqliteException">An error that is not the record's fault (disk full, lock): the batch fails.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SqliteWriteOutcome Execute(Record record)
    {
        if (_statement is null)
        {
            return SqliteWriteOutcome.Reject(_plan.RejectReason!, _plan.RejectCode);
        }

        if (_options.Kind != ActivityKind.Create)
        {
            foreach (var field in _plan.KeyFields)
            {
                if (record.GetValue(field) is null)
                {
                    return SqliteWriteOutcome.Reject($"the key field '{record.Schema.Names[field]}' is empty", "missing_key");
                }
            }
        }

        var fields = _plan.ParameterFields;
        for (var i = 0; i < fields.Length; i++)
        {
            _statement.Bind(i, SqliteValues.ToDatabase(record.GetValue(fields[i])));
        }

        int changes;
        try
        {
            changes = _statement.Execute();
        }
        catch (SqliteException ex) when (SqliteRowErrors.IsRowError(ex))
        {
            return SqliteWriteOutcome.Reject(SqliteErrors.Describe(ex), SqliteRowErrors.Code(ex));
        }

        return changes > 0 ? SqliteWriteOutcome.Written
            : _options.Kind == ActivityKind.Create ? SqliteWriteOutcome.Skipped
            : SqliteWriteOutcome.Reject(NoMatch(record), "no_match");
    }

    /// <summary>
    /// For a create of a record an interrupted attempt may have written: whether the table holds a row equal to it in
    /// every field it writes except those that vary between runs, i.e. the row is the record itself, written by that attempt.
    /// </summary>
    public bool HoldsEqualRow(Record record)
    {
        if (_statement is null || _options.Kind != ActivityKind.Create)
        {
            return false;
        }

        _stableFields ??= [.. _plan.ParameterFields.Where(f => !record.Schema.Varying.Contains(record.Schema.Names[f]))];
        if (_stableFields.Length == 0)
        {
            return false;
        }

        _match ??= new SqliteWriteMatch(_connection, _options.Table, record.Schema, _stableFields);
        return _match.Exists(record);
    }

    public void Dispose()
    {
        _statement?.Dispose();
        _match?.Dispose();
    }

    private string NoMatch(Record record)
    {
        var match = string.Join(" and ", _plan.KeyFields.Select(i =>
            $"{record.Schema.Names[i]} = {Convert.ToString(record.GetValue(i), CultureInfo.InvariantCulture)}"));
        return $"no row in {_options.Table} matches {match}";
    }
}
