namespace Kosmos.Cluster.Watching;

/// <summary>
/// Capped exponential backoff with jitter: initial, 2×, 4×, ... up to the cap, each delay stretched by a random 0–25 %
/// so that many clients failing together do not retry together. A server's Retry-After is honoured (up to the cap).
/// Not thread-safe: one per reflector loop.
/// </summary>
internal sealed class Backoff
{
    private const double Jitter = 0.25;
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Func<double> _random;
    private TimeSpan _current;

    /// <param name="random">A number in [0, 1) per call; tests pass a fixed one.</param>
    /// <param name="initial">The first delay, and the one after a <see cref="Reset"/>.</param>
    /// <param name="max">The cap on any delay, jitter and Retry-After included.</param>
    public Backoff(TimeSpan initial, TimeSpan max, Func<double>? random = null)
    {
        _initial = initial;
        _max = max;
        _random = random ?? Random.Shared.NextDouble;
        _current = initial;
    }

    /// <summary>Failures since the last <see cref="Reset"/>.</summary>
    public int Failures { get; private set; }

    /// <summary>The delay before the next attempt; each call lengthens the following one.</summary>
    public TimeSpan Next(TimeSpan? retryAfter = null)
    {
        Failures++;
        var delay = _current * (1 + (Jitter * _random()));
        _current = _current * 2 < _max ? _current * 2 : _max;
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked;
        }

        return delay < _max ? delay : _max;
    }

    /// <summary>Called on the first successful event after failures: the next failure starts again from the initial delay.</summary>
    public void Reset()
    {
        _current = _initial;
        Failures = 0;
    }
}
