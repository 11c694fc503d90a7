namespace Kosmos.Benchmarks.Harness;

/// <summary>
/// Garbage collections of this process (simulator, dashboard and clients together) and the time it was paused for them:
/// subtract two readings to see what a phase cost. Pauses stop every thread, so they land on latencies directly.
/// </summary>
public sealed record GcActivity(int Gen0, int Gen1, int Gen2, double PauseMs)
{
    public static GcActivity Now() =>
        new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalMilliseconds);

    public static GcActivity operator -(GcActivity after, GcActivity before) =>
        new(after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.PauseMs - before.PauseMs);
}
