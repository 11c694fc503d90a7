using Kosmos.Cluster.Tests.Watching.Support;
using Kosmos.Cluster.Watching;
using Kosmos.TestSupport;
using Microsoft.Extensions.Logging;

namespace Kosmos.Cluster.Tests.Watching;

/// <summary>A kind the server refuses is degraded on its own, retried slowly, and never holds back the others.</summary>
public sealed class ClusterCacheDegradedTests(EmptySimulatorFixture sim) : IClassFixture<EmptySimulatorFixture>
{
    private static readonly TimeSpan Timeout = CacheHarness.Timeout;

    [Fact]
    public async Task MissingCustomResource_404_DegradesOnlyThatKindAndRetriesSlowly()
    {
        // The simulator serves snapshot.storage.k8s.io/v1 only: asking for v1alpha1 is a cluster without that CRD version.
        await using var h = await CacheHarness.StartAsync(sim, o => o.VolumeSnapshotVersion = "v1alpha1",
            seed: (api, ns) => api.CreateOneOfEachAsync(ns, "a"));

        var snapshots = h.StatusOf(ClusterResourceKind.VolumeSnapshots);
        Assert.Equal(CacheSyncState.Degraded, snapshots.State);
        Assert.Contains("404", snapshots.Reason);
        Assert.Contains("NotFound", snapshots.Reason);
        Assert.Equal(CacheSyncState.Degraded, h.Cache.Status.StateOf(ClusterResourceKind.VolumeSnapshots));
        Assert.False(h.Cache.Status.IsSynced);
        Assert.All(h.Cache.Status.Reflectors.Where(r => r.Kind != ClusterResourceKind.VolumeSnapshots),
            r => Assert.Equal((r.Kind, CacheSyncState.Synced), (r.Kind, r.State)));
        Assert.Empty(h.Cache.GetSnapshot().VolumeSnapshots);

        // The others live on.
        await h.Api.CreatePodAsync(h.Namespace, "pod-b");
        await h.ConvergedAsync("every kind but the missing one", ClusterResourceKind.VolumeSnapshots);

        // Retried, slowly (DegradedRetryInterval is 300 ms here, the backoff 20 ms), and reported as an error once, not per retry.
        await Eventually.Until(() => h.Network.Requests.Count(r => r.Resource == "volumesnapshots") >= 3, Timeout, "three tries of the missing kind");
        var tries = h.Network.Requests.Where(r => r.Resource == "volumesnapshots").OrderBy(r => r.SentAt).ToList();
        Assert.All(tries, t => Assert.Equal(404, t.StatusCode));
        Assert.All(tries.Zip(tries.Skip(1)), pair =>
            Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(pair.First.AnsweredAt, pair.Second.SentAt) >= TimeSpan.FromMilliseconds(290)));
        Assert.Single(h.Errors, e => e.Message.Contains("degraded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForbiddenKind_403_DegradesOnlyThatKindAndRecoversWhenAllowed()
    {
        await using var h = await CacheHarness.StartAsync(sim, seed: (api, ns) => api.CreateOneOfEachAsync(ns, "a"),
            beforeStart: network => network.Forbid("replicasets"));

        var replicaSets = h.StatusOf(ClusterResourceKind.ReplicaSets);
        Assert.Equal(CacheSyncState.Degraded, replicaSets.State);
        Assert.Contains("403", replicaSets.Reason);
        Assert.Contains("Forbidden", replicaSets.Reason);
        Assert.All(h.Cache.Status.Reflectors.Where(r => r.Kind != ClusterResourceKind.ReplicaSets),
            r => Assert.Equal((r.Kind, CacheSyncState.Synced), (r.Kind, r.State)));
        await h.ConvergedAsync("every kind but the forbidden one", ClusterResourceKind.ReplicaSets);

        var changes = new List<ClusterCacheStatus>();
        h.Cache.StatusChanged += status =>
        {
            lock (changes)
            {
                changes.Add(status);
            }
        };
        h.Network.Forbid(null);

        await Eventually.Until(() => h.StatusOf(ClusterResourceKind.ReplicaSets).State == CacheSyncState.Synced, Timeout, "replica sets to recover");
        await h.ConvergedAsync("every kind after the permission came back");
        Assert.True(h.Cache.Status.IsSynced);
        lock (changes)
        {
            Assert.Contains(changes, s => s.StateOf(ClusterResourceKind.ReplicaSets) == CacheSyncState.Synced);
        }

        Assert.Contains(h.Logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("recovered", StringComparison.Ordinal));
        Assert.Null(h.StatusOf(ClusterResourceKind.ReplicaSets).Reason);
    }
}
