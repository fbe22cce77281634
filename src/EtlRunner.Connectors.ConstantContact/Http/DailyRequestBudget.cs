using System.Globalization;
using EtlRunner.Connectors.ConstantContact.Exceptions;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>
/// Counts the requests sent today (UTC) toward <c>daily_request_limit</c> and refuses to send past it. The count is
/// kept in the connection's state between runs of the same day, since the API's quota is per day, not per run; with
/// a shared <see cref="IRequestGate"/> it is the gate's count of the account, which every holder of the gate adds to.
/// </summary>
internal sealed class DailyRequestBudget
{
    private const string StateKey = "daily_requests";

    private readonly long _limit;
    private readonly TimeProvider _time;
    private readonly IConnectorState _state;
    private readonly (IRequestGate Gate, string Account)? _shared;
    private readonly Lock _gate = new();
    private DateOnly _day;
    private long _used;

    public DailyRequestBudget(long limit, TimeProvider time, IConnectorState state, (IRequestGate Gate, string Account)? shared = null)
    {
        _limit = limit;
        _time = time;
        _state = state;
        _shared = shared;
        _day = Today();
        var saved = state.Get(StateKey)?.Split(' ');
        if (saved is [var day, var used]
            && DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var savedDay)
            && savedDay == _day
            && long.TryParse(used, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            _used = count;
        }
    }

    public long UsedToday
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    /// <summary>Takes one request from today's budget, or throws <see cref="DailyRequestLimitReachedException"/> without sending.</summary>
    public void Consume()
    {
        lock (_gate)
        {
            var today = Today();
            if (today != _day)
            {
                _day = today;
                _used = 0;
            }

            if (_shared is var (gate, account) ? !gate.TryCountRequest(account, today, _limit) : _used >= _limit)
            {
                throw new DailyRequestLimitReachedException(_limit);
            }

            _used++;
        }
    }

    public void Save()
    {
        if (_shared is not null)
        {
            return; // the gate keeps the count
        }

        lock (_gate)
        {
            _state.Set(StateKey, _day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " " + _used.ToString(CultureInfo.InvariantCulture));
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
}
