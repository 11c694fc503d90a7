using k8s;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Controllers;

[Collection(ControllerClusterCollection.Name)]
public sealed class GarbageCollectorTests(ControllerClusterFixture fixture)
{
    private readonly IKubernetes _client = fixture.Client;

    [Fact]
    public async Task DeleteReplicaSet_OwnedByDeployment_PodsCollectedAndReplicaSetRecreated()
    {
        var ns = await fixture.NewNamespaceAsync("gc-rs");
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Cluster.Deployment(ns, "planner", 2), ns);
        await fixture.RolledOutAsync(ns, "planner");
        var rs = Assert.Single(await Cluster.ReplicaSetsAsync(_client, ns, "planner"));
        var oldPods = (await Cluster.PodsAsync(_client, ns, "planner")).Select(p => p.Metadata.Uid).ToHashSet();

        (await fixture.Kubectl.RunAsync("delete", "rs", rs.Metadata.Name, "-n", ns)).EnsureSuccess();

        // The deployment brings a replica set of the same template (same name, new uid) and new pods; the old pods are collected.
        var pods = await fixture.Until(() => Cluster.PodsAsync(_client, ns, "planner"),
            p => p.Count == 2 && p.All(x => !oldPods.Contains(x.Metadata.Uid) && Cluster.IsReady(x)), "only new pods");
        var again = Assert.Single(await Cluster.ReplicaSetsAsync(_client, ns, "planner"));
        Assert.Equal(rs.Metadata.Name, again.Metadata.Name);
        Assert.NotEqual(rs.Metadata.Uid, again.Metadata.Uid);
        Assert.All(pods, p => Assert.Equal(again.Metadata.Uid, p.Metadata.OwnerReferences.Single().Uid));
    }

    [Fact]
    public async Task CreatePod_OwnerNeverExisted_IsDeleted()
    {
        var ns = await fixture.NewNamespaceAsync("gc-orphan");
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "dangling",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "gone-rs", Uid = Guid.NewGuid().ToString(), Controller = true }],
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = "kosmos/agent:1.0" }] },
        };
        await _client.CoreV1.CreateNamespacedPodAsync(pod, ns);

        await fixture.Until(async () => (await _client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count == 0, "the dangling pod to be collected");
    }

    [Fact]
    public async Task CreatePod_OneOfTwoOwnersGone_OnlyLosesTheDanglingReference()
    {
        var ns = await fixture.NewNamespaceAsync("gc-two");
        var owner = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, ns);
        var rs = await _client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = "shared",
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "gone", Uid = Guid.NewGuid().ToString() },
                    new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid },
                ],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 0,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "shared" } },
                Template = Cluster.PodTemplate("shared"),
            },
        }, ns);

        var kept = await fixture.Until(() => _client.AppsV1.ReadNamespacedReplicaSetAsync("shared", ns),
            r => r.Metadata.OwnerReferences?.Count == 1, "the dangling reference to go");
        Assert.Equal(rs.Metadata.Uid, kept.Metadata.Uid);
        Assert.Equal("owner", kept.Metadata.OwnerReferences.Single().Name);
    }
}
