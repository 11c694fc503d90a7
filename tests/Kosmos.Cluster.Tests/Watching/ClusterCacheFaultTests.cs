using System.Diagnostics;
using Kosmos.Cluster.Tests.Watching.Support;
using Kosmos.Cluster.Watching;
using Kosmos.TestSupport;
using Microsoft.Extensions.Logging;

namespace Kosmos.Cluster.Tests.Watching;

/// <summary>
/// After each fault the simulator can inject, the cache converges to exactly the simulator's state. The changes are made
/// while the cache cannot see them: its network holds every new request (a partition) until the fault is in place.
/// </summary>
public sealed class ClusterCacheFaultTests(EmptySimulatorFixture sim) : IClassFixture<EmptySimulatorFixture>
{
    private static readonly TimeSpan Timeout = CacheHarness.Timeout;
    private static readonly int Reflectors = ClusterResourceKinds.All.Count;

    [Fact]
    public async Task DroppedWatches_ChangesMeanwhile_ResumesFromLastVersionWithoutRelisting()
    {
        await using var h = await CacheHarness.StartAsync(sim, seed: (api, ns) => api.CreateOneOfEachAsync(ns, "a"));
        var ns = h.Namespace;

        await PartitionAsync(h, () => Assert.True(sim.DropWatches() >= Reflectors));
        await h.Api.CreatePodAsync(ns, "pod-b");
        await h.Api.TouchPodAsync(ns, "pod-a");
        await h.Api.DeleteSnapshotAsync(ns, "snap-a");
        h.Network.Release();

        await h.ConvergedAsync("after dropped watches");
        Assert.Contains(h.Mirror.Seen, c => c is { Type: ClusterChangeType.Delete, Kind: ClusterResourceKind.VolumeSnapshots } && c.Key.Name == "snap-a");
        Assert.All(h.Cache.Status.Reflectors, r => Assert.Equal((r.Kind, 1L, 0L), (r.Kind, r.Counters.Lists, r.Counters.Relists)));
        Assert.All(h.Cache.Status.Reflectors, r => Assert.True(r.Counters.WatchRestarts >= 1, r.ToString()));
        Assert.Empty(h.Errors);
    }

    [Fact]
    public async Task ExpiredHistory_ChangesWhileDown_RelistsAndEmitsDeletesForWhatVanished()
    {
        await using var h = await CacheHarness.StartAsync(sim, seed: async (api, ns) =>
        {
            await api.CreateOneOfEachAsync(ns, "a");
            await api.CreatePodAsync(ns, "keep");
            await api.CreatePodAsync(ns, "gone");
            await api.CreatePodAsync(ns, "changed");
        });
        var ns = h.Namespace;

        await PartitionAsync(h, () => sim.DropWatches());
        await h.Api.DeletePodAsync(ns, "gone");
        await h.Api.TouchPodAsync(ns, "changed");
        await h.Api.CreatePodAsync(ns, "new");
        await h.Api.DeleteSnapshotAsync(ns, "snap-a");
        sim.ExpireHistory();
        var seenBefore = h.Mirror.Seen.Count;
        h.Network.Release();

        await h.ConvergedAsync("after relisting on 410");
        var after = h.Mirror.Seen.Skip(seenBefore).ToList();
        Assert.Contains(after, c => c is { Type: ClusterChangeType.Delete, Kind: ClusterResourceKind.Pods } && c.Key.Name == "gone");
        Assert.Contains(after, c => c is { Type: ClusterChangeType.Delete, Kind: ClusterResourceKind.VolumeSnapshots } && c.Key.Name == "snap-a");
        Assert.Contains(after, c => c is { Type: ClusterChangeType.Upsert } && c.Key.Name == "changed");
        Assert.Contains(after, c => c is { Type: ClusterChangeType.Upsert } && c.Key.Name == "new");

        // The relist is diffed: objects that did not change are not sent again.
        Assert.DoesNotContain(after, c => c.Key.Name is "keep" or "deploy-a" or "claim-a");
        Assert.Equal(1L, h.StatusOf(ClusterResourceKind.Pods).Counters.Relists);
        Assert.Equal(1L, h.StatusOf(ClusterResourceKind.VolumeSnapshots).Counters.Relists);
        Assert.Contains(h.Logger.Entries, e => e.Message.Contains("expired", StringComparison.Ordinal) && e.Message.Contains("410", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerErrorBurst_WatchesFailWith500_BacksOffAndResumesWithoutRelisting()
    {
        await using var h = await CacheHarness.StartAsync(sim, seed: (api, ns) => api.CreateOneOfEachAsync(ns, "a"));
        var ns = h.Namespace;

        await PartitionAsync(h, () => sim.DropWatches());
        await h.Api.CreatePodAsync(ns, "pod-b");
        await h.Api.DeletePodAsync(ns, "pod-a");
        sim.ResetStats();
        sim.FailNext(3 * Reflectors, 500);
        h.Network.Release();

        await Eventually.Until(() => sim.InjectedFailures() == 3 * Reflectors, Timeout, "the cache to run into every injected 500");
        await h.ConvergedAsync("after a burst of 500s");
        Assert.Contains(h.Network.Requests, r => r.StatusCode == 500);
        Assert.All(h.Cache.Status.Reflectors, r => Assert.Equal((r.Kind, 1L), (r.Kind, r.Counters.Lists)));
        Assert.Contains(h.Cache.Status.Reflectors, r => r.LastError?.Contains("500", StringComparison.Ordinal) == true);
        Assert.Empty(h.Errors);
    }

    [Fact]
    public async Task TooManyRequestsBurst_429WithRetryAfter_WaitsAsToldAndConverges()
    {
        await using var h = await CacheHarness.StartAsync(sim, seed: (api, ns) => api.CreateOneOfEachAsync(ns, "a"));
        var ns = h.Namespace;

        await PartitionAsync(h, () => sim.DropWatches());
        await h.Api.TouchPodAsync(ns, "pod-a");
        sim.ResetStats();
        sim.FailNext(Reflectors, 429);
        h.Network.Release();

        await Eventually.Until(() => sim.InjectedFailures() == Reflectors, Timeout, "the cache to run into every injected 429");
        await h.ConvergedAsync("after a burst of 429s");

        // The simulator says Retry-After: 1; the cache's own backoff would have retried after some 20 ms.
        RecordedRequest? Retry(RecordedRequest refused) =>
            h.Network.Requests.Where(n => n.Path == refused.Path && n.SentAt > refused.AnsweredAt).MinBy(n => n.SentAt);
        var refused = h.Network.Requests.Where(r => r.StatusCode == 429).ToList();
        Assert.NotEmpty(refused);
        await Eventually.Until(() => refused.All(r => Retry(r) is not null), Timeout, "every refused request to be retried");
        foreach (var r in refused)
        {
            var next = Retry(r)!;
            var waited = Stopwatch.GetElapsedTime(r.AnsweredAt, next.SentAt);
            Assert.True(waited >= TimeSpan.FromMilliseconds(980), $"retried {r.Resource} after {waited.TotalMilliseconds} ms despite Retry-After: 1");
        }
    }

    [Fact]
    public async Task SimulatorFrontRestart_ChangesWhileDown_Converges()
    {
        await using var h = await CacheHarness.StartAsync(sim, seed: (api, ns) => api.CreateOneOfEachAsync(ns, "a"));
        var ns = h.Namespace;
        var watchesBefore = h.Cache.Status.Reflectors.Sum(r => r.Counters.Watches);

        h.Network.Hold();
        await sim.RestartFrontAsync();
        await h.Api.DeletePodAsync(ns, "pod-a");
        await h.Api.CreatePodAsync(ns, "pod-b");
        await h.Api.CreateSnapshotAsync(ns, "snap-b");
        h.Network.Release();

        await h.ConvergedAsync("after a front restart");
        Assert.True(h.Cache.Status.Reflectors.Sum(r => r.Counters.Watches) >= watchesBefore + Reflectors);
        Assert.Contains(h.Mirror.Seen, c => c is { Type: ClusterChangeType.Delete } && c.Key.Name == "pod-a");
        Assert.True(h.Cache.Status.IsSynced);
    }

    [Fact]
    public async Task SilentWatch_StreamGoesQuiet_IsDetectedAndRestarted()
    {
        await using var h = await CacheHarness.StartAsync(sim, o => o.SilentWatchTimeout = TimeSpan.FromMilliseconds(1500));
        await Eventually.Until(() => h.Network.Requests.Count(r => r.IsWatch) >= Reflectors, Timeout, "every watch to be open");

        Assert.Equal(Reflectors, h.Network.FreezeOpenWatches());
        await h.Api.CreatePodAsync(h.Namespace, "after-freeze");

        await Eventually.Until(() => h.Mirror.Seen.Any(c => c.Key.Name == "after-freeze"), Timeout, "the pod created behind a frozen watch");
        Assert.Contains(h.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("silent", StringComparison.Ordinal));
        var pods = h.StatusOf(ClusterResourceKind.Pods);
        Assert.Equal((1L, 0L), (pods.Counters.Lists, pods.Counters.Relists));
        Assert.True(pods.Counters.WatchRestarts >= 1);
    }

    /// <summary>Cuts the cache off: new requests wait, then <paramref name="fault"/> ends the open watches; returns once every reflector is waiting.</summary>
    private static async Task PartitionAsync(CacheHarness h, Action fault)
    {
        await Eventually.Until(() => h.Network.Requests.Count(r => r.IsWatch) >= Reflectors, Timeout, "every watch to be open");
        h.Network.Hold();
        fault();
        await Eventually.Until(() => h.Network.Held == Reflectors, Timeout, "every reflector to be held by the partition");
    }
}
