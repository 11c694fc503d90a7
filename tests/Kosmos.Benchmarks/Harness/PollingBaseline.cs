using k8s;

namespace Kosmos.Benchmarks.Harness;

/// <summary>What the polling baseline did in one phase: its staleness, and the API load it caused (per minute of the phase).</summary>
public sealed record BaselineRun(int Viewers, Distribution Staleness, int Missing, SimStats Stats, double ElapsedMinutes, long Polls, long Failures)
{
    public double ListsPerMinute => Stats.Lists / ElapsedMinutes;

    public double MiBPerMinute => Stats.BytesServed / 1024.0 / 1024.0 / ElapsedMinutes;

    public double PollsPerViewerPerMinute => Polls / (double)Viewers / ElapsedMinutes;
}

/// <summary>Runs <c>viewers</c> polling viewers against the cluster while its change stream runs, then until they have all caught up.</summary>
public static class PollingBaseline
{
    public static async Task<BaselineRun> RunAsync(BenchCluster cluster, int viewers, BenchSettings settings, CancellationToken ct)
    {
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = cluster.Simulator.Url.ToString().TrimEnd('/') });
        var pollers = Enumerable.Range(0, viewers).Select(_ => new PollingViewer(client, cluster.Fleet.Namespace, settings.PollInterval)).ToList();
        await cluster.ResetStatsAsync(ct);
        var started = Clock.NowMs();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = pollers.Select((p, i) => Task.Run(() => p.RunAsync(settings.PollInterval * i / viewers, stop.Token), CancellationToken.None)).ToList();
        var changes = await cluster.Changes.RunAsync(settings.ChangesPerSecond, settings.Phase, ct);

        // Every viewer's next refresh shows the last change, unless the server is too loaded to answer in time: then what
        // never arrived is counted as missing.
        await Waits.TryUntilAsync(() => pollers.All(p => p.Arrivals.HasSeenAll(changes)), settings.PollInterval * 3 + TimeSpan.FromSeconds(30), ct);
        var elapsed = Clock.NowMs() - started;
        await stop.CancelAsync();
        await Task.WhenAll(running);
        var stats = await cluster.ReadStatsAsync(ct);
        var missing = 0;
        var staleness = new List<double>();
        foreach (var poller in pollers)
        {
            staleness.AddRange(poller.Arrivals.LatenciesOf(changes, out var m));
            missing += m;
        }

        return new BaselineRun(viewers, new Distribution(staleness), missing, stats, elapsed / 60_000, pollers.Sum(p => p.Polls), pollers.Sum(p => p.Failures));
    }
}

/// <summary>Bounded waits that report instead of throwing, for outcomes a scenario records either way.</summary>
public static class Waits
{
    /// <summary>Polls <paramref name="condition"/> (every 20–250 ms) until it holds or <paramref name="timeout"/> passes; returns whether it held.</summary>
    public static async Task<bool> TryUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await Kosmos.TestSupport.Eventually.Until(() =>
            {
                ct.ThrowIfCancellationRequested();
                return condition();
            }, timeout, "a condition");
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
