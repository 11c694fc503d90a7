using k8s;
using k8s.Models;
using Kosmos.Cluster.Watching;
using Kosmos.Recovery.Model;
using Microsoft.Extensions.Time.Testing;

namespace Kosmos.Cluster.Tests.Watching;

/// <summary>The store's diffing and fan-out, without a server.</summary>
public sealed class ClusterStoreTests
{
    private const ClusterResourceKind Pods = ClusterResourceKind.Pods;

    [Fact]
    public void Replace_FreshList_EmitsOnlyTheDifference()
    {
        var store = new ClusterStore(10);
        store.Replace(Pods, "a", [Pod("a", "same", "u1", "1"), Pod("a", "changed", "u2", "2"), Pod("a", "gone", "u3", "3"), Pod("a", "recreated", "u4", "4")]);
        store.Replace(Pods, "b", [Pod("b", "other", "u5", "5")]);
        store.Flush();
        using var subscription = store.Subscribe();

        var changes = store.Replace(Pods, "a", [Pod("a", "same", "u1", "1"), Pod("a", "changed", "u2", "9"), Pod("a", "recreated", "u6", "10"), Pod("a", "new", "u7", "11")]);
        store.Flush();

        Assert.True(subscription.Changes.TryRead(out var batch));
        var emitted = batch.Changes.Select(c => $"{c.Type} {c.Key}@{c.Object.Metadata.ResourceVersion}").ToList();
        Assert.Equal(
            ["Delete a/gone@3", "Delete a/recreated@4", "Upsert a/changed@9", "Upsert a/new@11", "Upsert a/recreated@10"],
            emitted.Order(StringComparer.Ordinal));
        Assert.True(emitted.IndexOf("Delete a/recreated@4") < emitted.IndexOf("Upsert a/recreated@10"), string.Join(", ", emitted));
        Assert.Equal(5, changes);
        Assert.Equal(["a/changed", "a/new", "a/recreated", "a/same", "b/other"], store.Snapshot()[Pods].Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal("u6", store.Snapshot()[Pods][new ObjectKey("a", "recreated")].Metadata.Uid);
    }

    [Fact]
    public void UpsertAndDelete_RepeatedOrUnknown_EmitNothing()
    {
        var store = new ClusterStore(10);
        Assert.True(store.Upsert(Pods, Pod("a", "p", "u1", "1")));
        store.Flush();
        using var subscription = store.Subscribe();

        Assert.False(store.Upsert(Pods, Pod("a", "p", "u1", "1")));
        Assert.False(store.Delete(Pods, Pod("a", "absent", "u9", "2")));
        store.Flush();

        Assert.False(subscription.Changes.TryRead(out _));
        Assert.Single(subscription.Snapshot[Pods]);
    }

    [Fact]
    public void Subscribe_WhileChangesArePending_GetsThemAgainAfterTheSnapshotAndConverges()
    {
        var store = new ClusterStore(10);
        store.Upsert(Pods, Pod("a", "p", "u1", "1"));
        store.Upsert(Pods, Pod("a", "q", "u2", "2"));
        store.Delete(Pods, Pod("a", "q", "u2", "3"));

        using var subscription = store.Subscribe();
        store.Flush();

        // The snapshot already holds these changes; applying them again by key changes nothing.
        Assert.Equal(["a/p"], subscription.Snapshot[Pods].Keys.Select(k => k.ToString()));
        Assert.True(subscription.Changes.TryRead(out var batch));
        var state = subscription.Snapshot[Pods].Keys.ToHashSet();
        foreach (var change in batch.Changes)
        {
            if (change.Type == ClusterChangeType.Upsert)
            {
                state.Add(change.Key);
            }
            else
            {
                state.Remove(change.Key);
            }
        }

        Assert.Equal(["a/p"], state.Select(k => k.ToString()));
    }

    [Fact]
    public async Task RunBatching_QuietThenChangesWithinTheWindow_FirstAtOnceTheRestAsOneBatchAfterTheWindow()
    {
        var time = new FakeTimeProvider();
        var window = TimeSpan.FromMilliseconds(75);
        var store = new ClusterStore(10);
        using var subscription = store.Subscribe();
        using var cts = new CancellationTokenSource();
        var batching = store.RunBatchingAsync(window, time, cts.Token);

        // Quiet cache: the change goes out without any time passing (fake time stands still).
        store.Upsert(Pods, Pod("a", "p1", "u1", "1"));
        ClusterChangeBatch? first = null;
        await Kosmos.TestSupport.Eventually.Until(() => subscription.Changes.TryRead(out first), TimeSpan.FromSeconds(10), "the first change, at once");
        Assert.Equal(["Upsert a/p1"], first!.Changes.Select(c => $"{c.Type} {c.Key}"));

        // Within the window after that delivery: held back, then delivered together once the window has passed.
        store.Upsert(Pods, Pod("a", "p2", "u2", "2"));
        store.Delete(Pods, Pod("a", "p1", "u1", "3"));
        Assert.False(subscription.Changes.TryRead(out _));
        ClusterChangeBatch? batch = null;
        await Kosmos.TestSupport.Eventually.Until(() =>
        {
            time.Advance(window);
            return subscription.Changes.TryRead(out batch);
        }, TimeSpan.FromSeconds(10), "the batch after the window");

        Assert.Equal(["Upsert a/p2", "Delete a/p1"], batch!.Changes.Select(c => $"{c.Type} {c.Key}"));
        Assert.Null(batch.Resync);
        await cts.CancelAsync();
        await batching;
    }

    [Fact]
    public void Flush_SubscriberQueueFull_ReplacesItsQueueWithAResyncAndLeavesOthersAlone()
    {
        var resynced = new List<int>();
        var store = new ClusterStore(2, resynced.Add);
        using var slow = store.Subscribe();
        using var fast = store.Subscribe();
        var fastSeen = new List<ClusterChange>();

        for (var i = 0; i < 5; i++)
        {
            store.Upsert(Pods, Pod("a", $"p{i}", $"u{i}", $"{i + 1}"));
            store.Flush();
            while (fast.Changes.TryRead(out var b))
            {
                fastSeen.AddRange(b.Changes);
            }
        }

        Assert.Equal(5, fastSeen.Count);
        Assert.Equal(0, fast.Resyncs);
        Assert.True(slow.Resyncs >= 1);
        Assert.NotEmpty(resynced);

        // What the slow one finds: at most its capacity, and a resync to everything up to its overflow.
        var batches = new List<ClusterChangeBatch>();
        while (slow.Changes.TryRead(out var b))
        {
            batches.Add(b);
        }

        Assert.InRange(batches.Count, 1, 2);
        var resync = batches.Select(b => b.Resync).OfType<ClusterSnapshot>().Single();
        var state = resync[Pods].Keys.Select(k => k.Name).ToHashSet();
        foreach (var change in batches.SkipWhile(b => b.Resync is null).Skip(1).SelectMany(b => b.Changes))
        {
            state.Add(change.Key.Name);
        }

        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], state.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Dispose_Subscription_CompletesItsChannelAndStopsDelivery()
    {
        var store = new ClusterStore(10);
        var subscription = store.Subscribe();
        Assert.Equal(1, store.SubscriberCount);

        subscription.Dispose();
        subscription.Dispose();
        store.Upsert(Pods, Pod("a", "p", "u", "1"));
        store.Flush();

        Assert.Equal(0, store.SubscriberCount);
        await subscription.Changes.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(subscription.Changes.TryRead(out _));
    }

    private static V1Pod Pod(string ns, string name, string uid, string resourceVersion) => new()
    {
        Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name, Uid = uid, ResourceVersion = resourceVersion },
    };
}
