using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Kosmos.TestSupport;

/// <summary>
/// Waits that move a simulator's fake clock (<see cref="FakeTimeProvider"/>) instead of waiting for its deadlines in real
/// time. The simulated system's own timers (back-offs, probe periods, grace periods, provisioning) fire only as the test
/// advances the clock, so what happens in simulated time does not depend on the machine's speed; the real-time
/// <c>patience</c> only bounds how long the work itself may take, and is generous. Check conditions that stay true once
/// reached (a count, an event, a log line), not a state the system may pass through between two steps.
/// </summary>
public static class SimulatedTime
{
    /// <summary>Real-time bound for the work of one wait on a loaded machine.</summary>
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(10);

    /// <summary>A fake clock starting at the current wall time, so objects' timestamps and kubectl's ages look ordinary.</summary>
    public static FakeTimeProvider StartingNow() => new(DateTimeOffset.UtcNow);

    /// <summary>Probes; while not done, advances the clock by <paramref name="step"/> and probes again.</summary>
    public static async Task<T> Until<T>(FakeTimeProvider clock, TimeSpan step, Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? patience = null)
    {
        var bound = patience ?? DefaultPatience;
        var watch = Stopwatch.StartNew();
        var from = clock.GetUtcNow();
        while (true)
        {
            var last = await probe();
            if (done(last))
            {
                return last;
            }

            if (watch.Elapsed > bound)
            {
                throw new TimeoutException($"{what}: not reached after {clock.GetUtcNow() - from} of simulated time ({bound} real); last value: {last}");
            }

            clock.Advance(step);
            // Pacing, not synchronisation: the continuations the step woke get a moment before the next look, so simulated
            // time does not race far ahead of the work; how long this is changes how many steps a wait takes, not its outcome.
            await Task.Delay(Pace);
        }
    }

    public static Task Until(FakeTimeProvider clock, TimeSpan step, Func<bool> condition, string what, TimeSpan? patience = null) =>
        Until(clock, step, () => Task.FromResult(condition()), ok => ok, what, patience);

    /// <summary>Advances the clock step by step until <paramref name="work"/> (a delete that waits, a watch, a follow) completes.</summary>
    public static async Task<T> While<T>(FakeTimeProvider clock, TimeSpan step, Task<T> work, string what, TimeSpan? patience = null)
    {
        await Until(clock, step, () => Task.FromResult(work.IsCompleted), ok => ok, what, patience);
        return await work;
    }

    public static async Task While(FakeTimeProvider clock, TimeSpan step, Task work, string what, TimeSpan? patience = null)
    {
        await Until(clock, step, () => Task.FromResult(work.IsCompleted), ok => ok, what, patience);
        await work;
    }
}
