namespace Kosmos.KubeSim;

/// <summary>
/// The simulator's clock: a <see cref="TimeProvider"/> over another one (the system clock in real runs, a
/// <c>FakeTimeProvider</c> in tests) whose timers and timestamps run <see cref="Scale"/> times faster, so a 5-minute
/// CrashLoopBackOff takes 5 seconds at scale 60. Every delay, timer and deadline in the kubelet and controllers is
/// written in simulated time against this provider (<c>Task.Delay(simulated, time, ct)</c>).
/// <para>
/// <see cref="GetUtcNow"/> stays the inner clock's wall time, on purpose: kubectl and the dashboard compute ages from the
/// objects' timestamps with their own clocks, and a faster wall clock would put the cluster in their future. The price is
/// that simulated durations between two stamps are <see cref="Between"/>, not a plain subtraction. At scale 1 (and so
/// in tests driving a fake clock) the two agree. Thread-safe; the scale can change while running (timers already set
/// keep the real time they were given).
/// </para>
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _inner;
    private Anchor _anchor;

    public ScaledTimeProvider(TimeProvider inner, double scale = 1)
    {
        _inner = inner;
        _anchor = new Anchor(inner.GetTimestamp(), inner.GetTimestamp(), Checked(scale));
    }

    /// <summary>The clock this one scales.</summary>
    public TimeProvider Inner => _inner;

    /// <summary>Simulated seconds per real (inner) second, in (0, 10000].</summary>
    public double Scale
    {
        get => Volatile.Read(ref _anchor).Scale;
        set
        {
            Checked(value);
            // Re-anchor so timestamps stay monotonic across a scale change.
            while (true)
            {
                var current = Volatile.Read(ref _anchor);
                var innerNow = _inner.GetTimestamp();
                var next = new Anchor(innerNow, current.At(innerNow), value);
                if (Interlocked.CompareExchange(ref _anchor, next, current) == current)
                {
                    return;
                }
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override long GetTimestamp() => Volatile.Read(ref _anchor).At(_inner.GetTimestamp());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(this, _inner.CreateTimer(callback, state, ToInner(dueTime), ToInner(period)));

    /// <summary>Simulated time between two wall-clock stamps of this clock (e.g. a condition's lastTransitionTime and now).</summary>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to) => (to - from) * Scale;

    /// <summary>Simulated time since a wall-clock stamp of this clock.</summary>
    public TimeSpan Since(DateTimeOffset stamp) => Between(stamp, GetUtcNow());

    private TimeSpan ToInner(TimeSpan simulated) =>
        simulated == Timeout.InfiniteTimeSpan || simulated <= TimeSpan.Zero ? simulated : simulated / Scale;

    private static double Checked(double scale) =>
        scale is > 0 and <= 10_000 ? scale : throw new ArgumentOutOfRangeException(nameof(scale), scale, "time scale must be in (0, 10000]");

    private sealed record Anchor(long Inner, long Simulated, double Scale)
    {
        public long At(long innerTimestamp) => Simulated + (long)((innerTimestamp - Inner) * Scale);
    }

    private sealed class ScaledTimer(ScaledTimeProvider owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.ToInner(dueTime), owner.ToInner(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
