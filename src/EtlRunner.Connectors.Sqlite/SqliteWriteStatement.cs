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
    private readonly bool _create;
    private readonly bool _compares;
    private SqliteWriteMatch? _match;
    private SqliteRowDiff? _diff;
    private int[]? _stableFields;

    public SqliteWriteStatement(SqliteConnection connection, SqliteWritePlan plan, SqliteSinkOptions options)
    {
        _connection = connection;
        _plan = plan;
        _options = options;
        _statement = plan.Sql is null ? null : new SqliteRawStatement(connection, plan.Sql);
        _create = options.Kind == ActivityKind.Create;
        _compares = Compares(plan, options);
    }

    /// <summary>
    /// Writes one record: created, updated (with the fields it changes), deleted, skipped (unchanged when the row is
    /// identical already, which is then not written again) or rejected with the reason.
    /// </summary>
    /// <exception cref="SqliteException">An error that is not the record's fault (disk full, lock): the batch fails.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SqliteWriteOutcome Execute(Record record)
    {
        if (_statement is null)
        {
            return SqliteWriteOutcome.Reject(_plan.RejectReason!, _plan.RejectCode);
        }

        if (!_create)
        {
            foreach (var field in _plan.KeyFields)
            {
                if (record.GetValue(field) is null)
                {
                    return SqliteWriteOutcome.Reject($"the key field '{record.Schema.Names[field]}' is empty", "missing_key");
                }
            }
        }

        IReadOnlyList<string>? changed = null;
        if (_compares)
        {
            _diff ??= new SqliteRowDiff(_connection, _options.Table, record.Schema, [.. _plan.ParameterFields.Except(_plan.KeyFields)], _plan.KeyFields);
            changed = _diff.Changed(record);
            if (changed is null && _options.Kind == ActivityKind.Update)
            {
                return SqliteWriteOutcome.Reject(NoMatch(record), "no_match");
            }

            if (changed is { Count: 0 })
            {
                return SqliteWriteOutcome.Skip($"the row in {_options.Table} is identical already", unchanged: true);
            }
        }

        _statement.BindFields(record, _plan.ParameterFields);

        int changes;
        try
        {
            changes = _statement.Execute();
        }
        catch (SqliteException ex) when (SqliteRowErrors.IsRowError(ex))
        {
            return SqliteWriteOutcome.Reject(SqliteErrors.Describe(ex), SqliteRowErrors.Code(ex));
        }

        return changes > 0 ? _options.Kind switch
            {
                _ when _options.Kind == ActivityKind.Delete => SqliteWriteOutcome.Deleted,
                _ when changed is not null => SqliteWriteOutcome.Updated(changed),
                _ => SqliteWriteOutcome.Created,
            }
            : _options.Kind == ActivityKind.Create ? SqliteWriteOutcome.Skip($"on_conflict: {_options.OnConflict}: the record conflicts with a row in {_options.Table}", unchanged: false)
            : SqliteWriteOutcome.Reject(NoMatch(record), "no_match");
    }

    /// <summary>The record's key as a preview names it: the value of a one-field key, else <c>a = 1, b = 2</c>; null without a key.</summary>
    public string? Key(Record record) => _plan.KeyFields.Length switch
    {
        0 => null,
        1 => Convert.ToString(record.GetValue(_plan.KeyFields[0]), CultureInfo.InvariantCulture),
        _ => string.Join(", ", _plan.KeyFields.Select(i => $"{record.Schema.Names[i]} = {Convert.ToString(record.GetValue(i), CultureInfo.InvariantCulture)}")),
    };

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
        _diff?.Dispose();
    }

    /// <summary>
    /// An update, or an upsert or replace on a key, looks the row up first: to tell a create from an update, name what
    /// it changes, and not write a row that is identical already.
    /// </summary>
    /// <remarks>Decided once per statement, not per record.</remarks>
    private static bool Compares(SqliteWritePlan plan, SqliteSinkOptions options) => plan.KeyFields.Length > 0 && plan.KeyFields.Length == options.Key.Count
        && (options.Kind == ActivityKind.Update || (options.Kind == ActivityKind.Create && options.OnConflict is SqliteConflict.Upsert or SqliteConflict.Replace));

    private string NoMatch(Record record)
    {
        var match = string.Join(" and ", _plan.KeyFields.Select(i =>
            $"{record.Schema.Names[i]} = {Convert.ToString(record.GetValue(i), CultureInfo.InvariantCulture)}"));
        return $"no row in {_options.Table} matches {match}";
    }
}
