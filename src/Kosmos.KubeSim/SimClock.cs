namespace Kosmos.KubeSim;

/// <summary>
/// The simulator's sense of duration. Timestamps stay wall-clock (kubectl computes ages from them), but every simulated
/// duration — back-off, probe periods, start-up, memory growth — is divided by <see cref="Scale"/>, so tests run a
/// 5-minute CrashLoopBackOff in seconds. Thread-safe; the scale can change while running.
/// </summary>
public sealed class SimClock(TimeProvider time, double scale = 1)
{
    private double _scale = scale;

    public TimeProvider Time { get; } = time;

    public double Scale
    {
        get => Volatile.Read(ref _scale);
        set => Volatile.Write(ref _scale, value is > 0 and <= 10_000 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "time scale must be in (0, 10000]"));
    }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>The real time a simulated duration takes at the current scale.</summary>
    public TimeSpan ToReal(TimeSpan simulated) => simulated / Scale;

    public Task Delay(TimeSpan simulated, CancellationToken ct) => Task.Delay(ToReal(simulated), Time, ct);
}
