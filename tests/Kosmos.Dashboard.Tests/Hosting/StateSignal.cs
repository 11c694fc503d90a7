using System.Diagnostics;

namespace Kosmos.Dashboard.Tests.Hosting;

/// <summary>
/// Guards state that a background reader updates and lets a test wait, with a deadline, until a condition on it holds.
/// The waiter is woken by every update (no polling, no sleeps); the condition runs under the same lock as the updates.
/// </summary>
public sealed class StateSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Applies an update under the lock and wakes every waiter.</summary>
    public void Update(Action apply)
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            apply();
            woken = _changed;
            _changed = NewSignal();
        }

        woken.TrySetResult();
    }

    /// <summary>Reads the state under the lock.</summary>
    public T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    /// <summary>
    /// Returns once <paramref name="condition"/> holds (checked now and after every update); otherwise throws a
    /// <see cref="TimeoutException"/> naming <paramref name="what"/> and the state <paramref name="describe"/> gives.
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string> describe)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition())
                {
                    return;
                }

                changed = _changed.Task;
            }

            var remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"timed out after {timeout} waiting for {what}; now: {Read(describe)}");
            }

            await changed.WaitAsync(remaining).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
