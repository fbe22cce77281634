using System.Globalization;
using EtlRunner.Connectors.ConstantContact.Exceptions;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>
/// Counts the requests sent today (UTC) toward <c>daily_request_limit</c> and refuses to send past it. The count is
/// kept in the connection's state between runs of the same day, since the API's quota is per day, not per run.
/// </summary>
internal sealed class DailyRequestBudget
{
    private const string StateKey = "daily_requests";

    private readonly long _limit;
    private readonly TimeProvider _time;
    private readonly IConnectorState _state;
    private readonly Lock _gate = new();
    private DateOnly _day;
    private long _used;

    public DailyRequestBudget(long limit, TimeProvider time, IConnectorState state)
    {
        _limit = limit;
        _time = time;
        _state = state;
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

            if (_used >= _limit)
            {
                throw new DailyRequestLimitReachedException(_limit);
            }

            _used++;
        }
    }

    public void Save()
    {
        lock (_gate)
        {
            _state.Set(StateKey, _day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " " + _used.ToString(CultureInfo.InvariantCulture));
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
}
