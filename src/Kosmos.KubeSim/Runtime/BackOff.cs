namespace Kosmos.KubeSim.Runtime;

/// <summary>
/// The kubelet's back-off (client-go flowcontrol.Backoff without jitter): 10 s, doubling on every step up to 5 min,
/// forgotten once more than twice the maximum (10 min) passed since the last step — so a container that ran 10 minutes
/// starts over at 10 s. Durations are simulated; the caller supplies how much simulated time lies between two wall-clock
/// instants. Not thread-safe: one container loop owns it.
/// </summary>
public sealed class BackOff(Func<DateTimeOffset, DateTimeOffset, TimeSpan> simulatedBetween, TimeSpan? initial = null, TimeSpan? max = null)
{
    private readonly TimeSpan _initial = initial ?? TimeSpan.FromSeconds(10);
    private readonly TimeSpan _max = max ?? TimeSpan.FromMinutes(5);
    private DateTimeOffset? _lastUpdate;

    /// <summary>The current back-off period (what the CrashLoopBackOff message names).</summary>
    public TimeSpan Current { get; private set; }

    /// <summary>
    /// Crash back-off (IsInBackOffSince): simulated time still to wait after an event such as a container's finishedAt,
    /// or zero when not in back-off.
    /// </summary>
    public TimeSpan RemainingAfter(DateTimeOffset eventTime, DateTimeOffset now)
    {
        if (_lastUpdate is not { } last || HasExpired(eventTime, last))
        {
            return TimeSpan.Zero;
        }

        var elapsed = simulatedBetween(eventTime, now);
        return elapsed < Current ? Current - elapsed : TimeSpan.Zero;
    }

    /// <summary>Image-pull back-off (IsInBackOffSinceUpdate): simulated time still to wait since the last step.</summary>
    public TimeSpan Remaining(DateTimeOffset now) => _lastUpdate is { } last ? RemainingAfter(last, now) : TimeSpan.Zero;

    /// <summary>Records a step: starts at the initial period, or doubles the current one (capped).</summary>
    public void Next(DateTimeOffset eventTime, DateTimeOffset now)
    {
        if (_lastUpdate is not { } last || HasExpired(eventTime, last))
        {
            Current = _initial;
        }
        else
        {
            var doubled = Current * 2;
            Current = doubled > _max ? _max : doubled;
        }

        _lastUpdate = now;
    }

    private bool HasExpired(DateTimeOffset eventTime, DateTimeOffset lastUpdate) => simulatedBetween(lastUpdate, eventTime) > _max * 2;
}
