using System.Diagnostics;

namespace Kosmos.Benchmarks.Harness;

/// <summary>
/// The one timeline every in-process timestamp uses: the monotonic Stopwatch, in milliseconds. Wall clocks can step
/// (NTP) and have coarser resolution; a browser's <c>performance.now()</c> is mapped onto this timeline by <see cref="ClockOffset"/>.
/// </summary>
public static class Clock
{
    public static double NowMs() => Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;
}

/// <summary>
/// How far a browser's <c>performance.now()</c> runs ahead of <see cref="Clock.NowMs"/>: browser = process + <see cref="OffsetMs"/>,
/// known to within ±<see cref="UncertaintyMs"/> (half the round trip of the probe it was taken from).
/// </summary>
public sealed record ClockOffset(double OffsetMs, double UncertaintyMs)
{
    /// <summary>
    /// NTP's trick with the shortest of several round trips: read the browser's clock between two readings of ours; the
    /// browser's reading was taken somewhere inside that window, so pairing it with the window's middle is off by at most
    /// half the window. The shortest window bounds the error best.
    /// </summary>
    public static async Task<ClockOffset> MeasureAsync(Func<Task<double>> readRemoteMs, int probes = 15)
    {
        ClockOffset? best = null;
        for (var i = 0; i < probes; i++)
        {
            var before = Clock.NowMs();
            var remote = await readRemoteMs();
            var after = Clock.NowMs();
            var candidate = new ClockOffset(remote - (before + after) / 2, (after - before) / 2);
            if (best is null || candidate.UncertaintyMs < best.UncertaintyMs)
            {
                best = candidate;
            }
        }

        return best!;
    }

    public double ToProcessMs(double remoteMs) => remoteMs - OffsetMs;
}
