using Kosmos.Cluster.Tests.Watching.Support;
using Kosmos.Cluster.Watching;
using Kosmos.TestSupport;
using Microsoft.Extensions.Logging;

namespace Kosmos.Cluster.Tests.Watching;

/// <summary>The cache against the simulator over HTTP, without faults: sync, live changes, sharing, slow subscribers, stop.</summary>
public sealed class ClusterCacheSyncTests(EmptySimulatorFixture sim) : IClassFixture<EmptySimulatorFixture>
{
    private static readonly TimeSpan Timeout = CacheHarness.Timeout;

    [Fact]
    public async Task StartAsync_ObjectsOfEveryKind_SyncsToExactlyAFreshListThroughPagedLists()
    {
        await using var h = await CacheHarness.StartAsync(sim, o => o.ListPageSize = 3, seed: async (api, ns) =>
        {
            for (var i = 0; i < 7; i++)
            {
                await api.CreatePodAsync(ns, $"pod-{i}");
            }

            await api.CreateOneOfEachAsync(ns, "a");
            await api.CreateOneOfEachAsync(ns, "b");
        });

        Assert.True(h.Cache.Status.IsSynced, string.Join(", ", h.Cache.Status.Reflectors));
        var snapshot = h.Cache.GetSnapshot();
        Assert.Equal(9, snapshot.Pods.Count());
        Assert.Equal(2, snapshot.VolumeSnapshots.Count());
        Assert.All(snapshot.VolumeSnapshots, s => Assert.Equal("data", s.Json.GetProperty("spec").GetProperty("source").GetProperty("persistentVolumeClaimName").GetString()));
        await h.ConvergedAsync("the initial sync");

        // 9 pods in pages of 3: three list requests, the later ones following the continue token; one watch.
        await Eventually.Until(() => h.Network.Requests.Any(r => r.Resource == "pods" && r.IsWatch), Timeout, "the pod watch to be answered");
        var podRequests = h.Network.Requests.Where(r => r.Resource == "pods").ToList();
        Assert.Equal(3, podRequests.Count(r => !r.IsWatch));
        Assert.Equal(2, podRequests.Count(r => r.Query.Contains("continue=", StringComparison.Ordinal)));
        Assert.Single(podRequests, r => r.IsWatch && r.Query.Contains("allowWatchBookmarks=true", StringComparison.Ordinal));
        Assert.Empty(h.Errors);
    }

    [Fact]
    public async Task LiveChanges_CreateUpdateDelete_ReachSubscribersInOrder()
    {
        await using var h = await CacheHarness.StartAsync(sim);
        var ns = h.Namespace;

        var created = await h.Api.CreatePodAsync(ns, "live");
        var touched = await h.Api.TouchPodAsync(ns, "live");
        await h.Api.DeletePodAsync(ns, "live");
        await h.Api.CreateSnapshotAsync(ns, "snap");
        await h.Api.DeleteSnapshotAsync(ns, "snap");

        await Eventually.Until(() => h.Mirror.Seen.Count(c => c.Key.Name is "live" or "snap") >= 5, Timeout, "five live changes");
        var live = h.Mirror.Seen.Where(c => c.Key.Name == "live").ToList();
        Assert.Equal(
            [(ClusterChangeType.Upsert, created.Metadata.ResourceVersion), (ClusterChangeType.Upsert, touched.Metadata.ResourceVersion), (ClusterChangeType.Delete, null)],
            live.Select(c => (c.Type, c.Type == ClusterChangeType.Delete ? null : c.Object.Metadata.ResourceVersion)));
        Assert.All(live, c => Assert.Equal(ClusterResourceKind.Pods, c.Kind));
        Assert.Equal([ClusterChangeType.Upsert, ClusterChangeType.Delete],
            h.Mirror.Seen.Where(c => c.Key.Name == "snap" && c.Kind == ClusterResourceKind.VolumeSnapshots).Select(c => c.Type));
        await h.ConvergedAsync("after live changes");

        var pods = h.StatusOf(ClusterResourceKind.Pods);
        Assert.Equal((1, 0L), (pods.Counters.Lists, pods.Counters.Relists));
        Assert.True(pods.Counters.EventsApplied >= 3, pods.ToString());
        Assert.NotNull(pods.LastEventAt);
    }

    [Fact]
    public async Task Subscribe_FiftySubscribers_CauseTheListsAndWatchesOfOne()
    {
        sim.ResetStats();
        await using var h = await CacheHarness.StartAsync(sim);
        await h.Cache.StartAsync(CancellationToken.None);
        var mirrors = Enumerable.Range(0, 50).Select(_ => new Mirror(h.Cache)).ToList();

        await h.Api.CreatePodAsync(h.Namespace, "shared");
        await Eventually.Until(() => mirrors.All(m => m.Seen.Any(c => c.Key.Name == "shared")), Timeout, "every subscriber to see the new pod");

        foreach (var kind in ClusterResourceKinds.All)
        {
            Assert.Equal((kind, 1L, 1L), (kind, sim.Requests("list", kind.ResourceName()), sim.Requests("watch", kind.ResourceName())));
        }

        foreach (var mirror in mirrors)
        {
            await mirror.DisposeAsync();
        }
    }

    [Fact]
    public async Task Subscribe_SlowSubscriber_DoesNotHoldBackAFastOneAndIsResyncedWithAFreshSnapshot()
    {
        await using var h = await CacheHarness.StartAsync(sim, o =>
        {
            o.SubscriberQueueCapacity = 3;
            o.BatchWindow = TimeSpan.FromMilliseconds(10);
        });
        using var slow = h.Cache.Subscribe();

        // Each pod waits for the fast subscriber, so every one is a batch of its own: far more than the slow one may queue.
        for (var i = 0; i < 12; i++)
        {
            await h.Api.CreatePodAsync(h.Namespace, $"p-{i}");
            await Eventually.Until(() => h.Mirror.Seen.Any(c => c.Key.Name == $"p-{i}"), Timeout, $"the fast subscriber to see p-{i}");
        }

        Assert.True(slow.Resyncs >= 1, "the slow subscriber was never resynced");
        Assert.Equal(0, h.Mirror.Resyncs);

        // Now the slow one reads: a resync replaces whatever it held, and it ends up exactly where the cache is.
        var state = TestObjects.StateOf(slow.Snapshot, h.Namespace);
        var sawResync = false;
        await Eventually.Until(() =>
        {
            while (slow.Changes.TryRead(out var batch))
            {
                if (batch.Resync is { } snapshot)
                {
                    sawResync = true;
                    state = TestObjects.StateOf(snapshot, h.Namespace);
                }

                foreach (var change in batch.Changes)
                {
                    var key = $"{change.Kind}/{change.Key.Name}";
                    if (change.Type == ClusterChangeType.Upsert)
                    {
                        state[key] = $"{change.Object.Metadata.Uid}@{change.Object.Metadata.ResourceVersion}";
                    }
                    else
                    {
                        state.Remove(key);
                    }
                }
            }

            return TestObjects.Diff(TestObjects.StateOf(h.Cache.GetSnapshot(), h.Namespace), state).Length == 0;
        }, Timeout, "the slow subscriber to catch up");
        Assert.True(sawResync);
        Assert.Equal(12, state.Count);
        Assert.Contains(h.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("resynced", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WatchTimeout_Elapsed_RestartsTheWatchFromTheLastVersionWithoutRelisting()
    {
        await using var h = await CacheHarness.StartAsync(sim, o => o.WatchTimeout = TimeSpan.FromSeconds(1));

        await Eventually.Until(() => h.StatusOf(ClusterResourceKind.Pods).Counters.Watches >= 2, Timeout, "the pod watch to be restarted");
        await h.Api.CreatePodAsync(h.Namespace, "after-restart");
        await h.ConvergedAsync("after periodic watch restarts");

        var pods = h.StatusOf(ClusterResourceKind.Pods);
        Assert.Equal((1L, 0L), (pods.Counters.Lists, pods.Counters.Relists));
        var watches = h.Network.Requests.Where(r => r.Resource == "pods" && r.IsWatch).ToList();
        Assert.All(watches, w => Assert.Matches("timeoutSeconds=[12]&|timeoutSeconds=[12]$", w.Query));
        Assert.All(watches, w => Assert.Matches("resourceVersion=[0-9]+", w.Query));
        Assert.Empty(h.Errors);
    }

    [Fact]
    public async Task StopAsync_Running_CompletesSubscriptionsClosesWatchesAndLogsNoError()
    {
        var h = await CacheHarness.StartAsync(sim);
        using var subscription = h.Cache.Subscribe();
        await Eventually.Until(() => sim.OpenWatches() >= 6, Timeout, "six open watches");

        using var cts = new CancellationTokenSource(Timeout);
        await h.Cache.StopAsync(cts.Token);

        await subscription.Changes.Completion.WaitAsync(Timeout);
        Assert.Throws<ObjectDisposedException>(() => h.Cache.Subscribe());
        await Eventually.Until(() => sim.OpenWatches() == 0, Timeout, "the cache's watches to close");
        Assert.DoesNotContain(h.Logger.Entries, e => e.Level >= LogLevel.Warning);
        await h.DisposeAsync();
    }

    [Fact]
    public async Task WaitForSyncAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var h = await CacheHarness.StartAsync(sim, waitForSync: false, beforeStart: n => n.Hold());

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Cache.WaitForSyncAsync(cts.Token));
        Assert.All(h.Cache.Status.Reflectors, r => Assert.Equal(CacheSyncState.Syncing, r.State));

        h.Network.Release();
        using var sync = new CancellationTokenSource(Timeout);
        await h.Cache.WaitForSyncAsync(sync.Token);
        Assert.True(h.Cache.Status.IsSynced);
    }
}
