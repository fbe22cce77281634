using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EtlRunner.Connectors;
using EtlRunner.State;

namespace EtlRunner.Execution;

/// <summary>
/// Puts the write ledger around every batch: records already confirmed by an earlier run are not sent again,
/// the rest are recorded as pending (durably) before the target is called and confirmed after, and records whose
/// earlier attempt was never confirmed are flagged so the target checks before writing.
/// </summary>
/// <remarks>
/// The idempotency key is the operation's ledger (per pipeline and operation) plus a hash of the record's origin
/// (its place in the source) and its payload: the same source record with the same data is written once.
/// </remarks>
internal sealed class LedgerGate(IWriteLedger ledger, string runId)
{
    private readonly HashSet<Record> _uncertain = new(ReferenceEqualityComparer.Instance);

    /// <summary>Splits a batch into records to send and records an earlier run already wrote.</summary>
    public (List<Record> Send, List<string> SendKeys, int AlreadyWritten) Admit(IReadOnlyList<Record> batch)
    {
        var send = new List<Record>(batch.Count);
        var keys = new List<string>(batch.Count);
        var already = 0;
        _uncertain.Clear();
        foreach (var record in batch)
        {
            var key = Key(record);
            switch (ledger.Lookup(key, out _))
            {
                case LedgerState.Done:
                    already++;
                    continue;
                case LedgerState.Pending:
                    _uncertain.Add(record);
                    break;
            }

            send.Add(record);
            keys.Add(key);
        }

        ledger.MarkPending(keys, runId);
        return (send, keys, already);
    }

    public bool MayHaveBeenWritten(Record record) => _uncertain.Contains(record);

    /// <summary>Confirms what the target accounted as written or skipped; forgets what it rejected, so a replay can send it.</summary>
    public void Settle(IReadOnlyList<Record> sent, IReadOnlyList<string> keys, WriteResult result)
    {
        var rejected = result.Rejected.Select(r => r.Record).ToHashSet(ReferenceEqualityComparer.Instance);
        var done = new List<string>(keys.Count);
        var forget = new List<string>();
        for (var i = 0; i < sent.Count; i++)
        {
            (rejected.Contains(sent[i]) ? forget : done).Add(keys[i]);
        }

        ledger.MarkDone(done, runId);
        ledger.Forget(forget);
    }

    /// <summary>Nothing of the batch was written (the target threw before writing): forget it.</summary>
    public void Abandon(IReadOnlyList<string> keys) => ledger.Forget(keys);

    public static string Key(Record record)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("origin", record.Origin);
            json.WritePropertyName("payload");
            JsonValues.Write(json, record);
            json.WriteEndObject();
        }

        return Convert.ToHexString(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)), 0, 16);
    }
}
