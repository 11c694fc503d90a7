using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Controllers;

[Collection(ControllerClusterCollection.Name)]
public sealed class ReplicaSetControllerTests(ControllerClusterFixture fixture)
{
    private readonly IKubernetes _client = fixture.Client;

    [Fact]
    public async Task CreateReplicaSet_Standalone_CreatesPodsAndReportsStatus()
    {
        var ns = await fixture.NewNamespaceAsync("rs");
        var rs = await _client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet(ns, "cache", 2), ns);

        var ready = await fixture.Until(() => _client.AppsV1.ReadNamespacedReplicaSetAsync("cache", ns),
            r => r.Status?.ReadyReplicas == 2 && r.Status.AvailableReplicas == 2, "two ready pods");

        Assert.Equal((2, 2, 1L), (ready.Status.Replicas, ready.Status.FullyLabeledReplicas ?? 0, ready.Status.ObservedGeneration ?? 0));
        var pods = await Cluster.PodsAsync(_client, ns, "cache");
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.StartsWith("cache-", p.Metadata.Name, StringComparison.Ordinal);
            Assert.Equal("cache-", p.Metadata.GenerateName);
            var owner = Assert.Single(p.Metadata.OwnerReferences);
            Assert.Equal(("apps/v1", "ReplicaSet", rs.Metadata.Uid, true, true),
                (owner.ApiVersion, owner.Kind, owner.Uid, owner.Controller ?? false, owner.BlockOwnerDeletion ?? false));
        });
        var created = (await Cluster.EventsAsync(_client, ns, "cache")).Where(e => e.Reason == "SuccessfulCreate").ToList();
        Assert.Equal(2, created.Count);
        Assert.All(created, e => Assert.Equal(("Normal", "replicaset-controller", "ReplicaSet"), (e.Type, e.Source.Component, e.InvolvedObject.Kind)));
    }

    [Fact]
    public async Task DeletePod_Kubectl_IsReplaced()
    {
        var ns = await fixture.NewNamespaceAsync("replace");
        await _client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet(ns, "worker", 1), ns);
        var first = (await fixture.Until(() => Cluster.PodsAsync(_client, ns, "worker"), p => p.Count == 1 && Cluster.IsReady(p[0]), "the first pod")).Single();

        // kubectl waits for the pod to be gone, which takes the kubelet's (simulated) graceful stop.
        (await fixture.While(fixture.Kubectl.RunAsync("delete", "pod", first.Metadata.Name, "-n", ns), "kubectl delete pod")).EnsureSuccess();

        var second = await fixture.Until(() => Cluster.PodsAsync(_client, ns, "worker"),
            p => p.Count == 1 && p[0].Metadata.Name != first.Metadata.Name && Cluster.IsReady(p[0]), "a replacement pod");
        Assert.Equal("worker", second[0].Metadata.OwnerReferences.Single().Name);
    }

    [Fact]
    public async Task ScaleDown_ReadyAndPendingPods_DeletesThePendingOneFirst()
    {
        var ns = await fixture.NewNamespaceAsync("rank");
        var spec = ReplicaSet(ns, "ranked", 2);
        spec.Spec.Template.Spec.NodeSelector = new Dictionary<string, string>(FakeKubelet.UnschedulableSelector);
        await _client.AppsV1.CreateNamespacedReplicaSetAsync(spec, ns);
        var pods = await fixture.Until(() => Cluster.PodsAsync(_client, ns, "ranked"), p => p.Count == 2, "two pending pods");

        // Play the kubelet for one pod only: scheduled elsewhere, running and ready.
        var keep = pods[0].Metadata.Name;
        await _client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"spec":{"nodeName":"manual-node"}}""", V1Patch.PatchType.MergePatch), keep, ns);
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = now }),
            },
        };
        await _client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), keep, ns);
        await fixture.Until(async () => (await _client.AppsV1.ReadNamespacedReplicaSetAsync("ranked", ns)).Status?.ReadyReplicas == 1, "the replica set to see one ready pod");

        await _client.AppsV1.PatchNamespacedReplicaSetScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "ranked", ns);

        var left = await fixture.Until(() => Cluster.PodsAsync(_client, ns, "ranked"), p => p.Count == 1, "one pod to go");
        Assert.Equal(keep, left[0].Metadata.Name);
        // The controller deletes the pod, then records the event (as the real one does): the event may come a moment later.
        var events = await fixture.Until(() => Cluster.EventsAsync(_client, ns, "ranked"), e => e.Any(x => x.Reason == "SuccessfulDelete"), "the SuccessfulDelete event");
        var deleted = Assert.Single(events, e => e.Reason == "SuccessfulDelete");
        Assert.Equal($"Deleted pod: {pods[1].Metadata.Name}", deleted.Message);
    }

    [Fact]
    public async Task ScaleDown_ScheduledPod_GoesThroughTerminatingAndDoesNotCount()
    {
        var ns = await fixture.NewNamespaceAsync("graceful");
        var spec = ReplicaSet(ns, "graceful", 2);
        spec.Spec.Template.Spec.TerminationGracePeriodSeconds = 3600;
        await _client.AppsV1.CreateNamespacedReplicaSetAsync(spec, ns);
        await fixture.Until(async () => (await _client.AppsV1.ReadNamespacedReplicaSetAsync("graceful", ns)).Status?.ReadyReplicas == 2, "two ready pods");

        // The real kubelet may finish a graceful deletion quickly, so the Terminating phase is observed on a watch, not by polling.
        var before = await _client.CoreV1.ListNamespacedPodAsync(ns);
        using var watchCts = new CancellationTokenSource(SimulatedTime.DefaultPatience);
        var marked = Task.Run(async () =>
        {
            await foreach (var (_, pod) in _client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: before.Metadata.ResourceVersion, cancellationToken: watchCts.Token))
            {
                if (pod.Metadata.DeletionTimestamp is not null)
                {
                    return pod;
                }
            }

            throw new InvalidOperationException("the watch ended before a pod was marked for deletion");
        });
        await _client.AppsV1.PatchNamespacedReplicaSetScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "graceful", ns);
        var terminating = await marked;
        Assert.Equal(3600, terminating.Metadata.DeletionGracePeriodSeconds);

        // A terminating pod is no replica: scaling back up gives two live pods again.
        await _client.AppsV1.PatchNamespacedReplicaSetScaleAsync(new V1Patch("""{"spec":{"replicas":2}}""", V1Patch.PatchType.MergePatch), "graceful", ns);
        var rs = await fixture.Until(() => _client.AppsV1.ReadNamespacedReplicaSetAsync("graceful", ns),
            r => r.Status.ObservedGeneration == r.Metadata.Generation && r.Status.ReadyReplicas == 2, "status of the scaled-up set");
        Assert.Equal(2, rs.Status.Replicas);
        await fixture.Until(async () => (await Cluster.PodsAsync(_client, ns, "graceful")).Count(p => p.Metadata.DeletionTimestamp is null) == 2, "two live pods");
        await fixture.Until(async () => (await Cluster.PodsAsync(_client, ns, "graceful")).All(p => p.Metadata.DeletionTimestamp is null && p.Metadata.Uid != terminating.Metadata.Uid), "the terminating pod to go");
    }

    [Fact]
    public async Task OrphanPod_MatchingSelector_IsAdopted()
    {
        var ns = await fixture.NewNamespaceAsync("adopt");
        var orphan = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "stray", Labels = new Dictionary<string, string> { ["app"] = "adopter" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = "kosmos/agent:1.0" }] },
        };
        await _client.CoreV1.CreateNamespacedPodAsync(orphan, ns);
        await fixture.Until(async () => Cluster.IsReady(await _client.CoreV1.ReadNamespacedPodAsync("stray", ns)), "the orphan to run");

        var rs = await _client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet(ns, "adopter", 2), ns);

        var pods = await fixture.Until(() => Cluster.PodsAsync(_client, ns, "adopter"),
            p => p.Count == 2 && p.All(x => x.Metadata.OwnerReferences?.SingleOrDefault()?.Uid == rs.Metadata.Uid), "the orphan adopted and one pod added");
        Assert.Contains(pods, p => p.Metadata.Name == "stray");
        Assert.Single(await Cluster.EventsAsync(_client, ns, "adopter"), e => e.Reason == "SuccessfulCreate");
    }

    [Fact]
    public async Task MinReadySeconds_ReadyPod_BecomesAvailableOnlyAfterThem()
    {
        var ns = await fixture.NewNamespaceAsync("minready");
        var spec = ReplicaSet(ns, "slow", 1);
        spec.Spec.MinReadySeconds = 300; // simulated: the waits below advance the clock
        await _client.AppsV1.CreateNamespacedReplicaSetAsync(spec, ns);

        var ready = await fixture.Until(() => _client.AppsV1.ReadNamespacedReplicaSetAsync("slow", ns),
            r => r.Status?.ReadyReplicas == 1, "the pod to be ready");
        Assert.Equal(0, ready.Status.AvailableReplicas ?? 0);
        var readyAt = fixture.Clock!.GetUtcNow();
        var available = await fixture.Until(() => _client.AppsV1.ReadNamespacedReplicaSetAsync("slow", ns),
            r => r.Status?.AvailableReplicas == 1, "the pod to be available");
        Assert.Equal(1, available.Status.ReadyReplicas);
        // Stamps have whole seconds: the ready time the controller reads may be up to a second early.
        Assert.InRange(fixture.Clock.GetUtcNow() - readyAt, TimeSpan.FromSeconds(298), TimeSpan.FromSeconds(320));
    }

    private static V1ReplicaSet ReplicaSet(string ns, string app, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = app, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
            Template = Cluster.PodTemplate(app),
        },
    };
}
