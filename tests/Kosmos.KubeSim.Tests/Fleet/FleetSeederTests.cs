using System.Text.Json;
using k8s;
using k8s.Models;
using Kosmos.KubeSim.Fleet;
using Kosmos.KubeSim.Runtime;
using Kosmos.KubeSim.Store;
using Kosmos.KubeSim.Tests.Runtime;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Fleet;

/// <summary>The demo fleet a default simulator starts with, as clients see it.</summary>
public sealed class FleetSeederTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task DefaultSimulator_HasTheDemoFleet()
    {
        var deployments = await fixture.Client.AppsV1.ListNamespacedDeploymentAsync("kosmos");
        Assert.Equal(DemoBehaviours.All.Keys.Order(), deployments.Items.Select(d => d.Metadata.Name).Order());
        Assert.All(deployments.Items, d =>
        {
            Assert.Equal(d.Metadata.Name, d.Metadata.Labels["app"]);
            Assert.Contains("kubectl.kubernetes.io/last-applied-configuration", d.Metadata.Annotations.Keys);
        });

        // Binding them is the volume controller's work; the seeder only applies the manifests.
        var claims = await fixture.Client.CoreV1.ListNamespacedPersistentVolumeClaimAsync("kosmos");
        Assert.Equal(["archivist-state", "planner-state"], claims.Items.Select(c => c.Metadata.Name).Order());
        Assert.All(claims.Items, c => Assert.Equal(["ReadWriteOnce"], c.Spec.AccessModes));

        var secrets = await fixture.Client.CoreV1.ListNamespacedSecretAsync("kosmos");
        Assert.Equal(DemoBehaviours.All.Count, secrets.Items.Count);
    }

    [Fact]
    public async Task VectorStore_RolloutHistoryHoldsTheTagThatExists_AdoptedAsRevisionOne()
    {
        IList<V1ReplicaSet> sets = [];
        await Eventually.Until(async () =>
        {
            sets = (await fixture.Client.AppsV1.ListNamespacedReplicaSetAsync("kosmos", labelSelector: "app=vector-store")).Items;
            return sets.Count == 2 && sets.All(rs => rs.Metadata.OwnerReferences?.Any(o => o.Kind == "Deployment" && o.Name == "vector-store") == true);
        }, TimeSpan.FromSeconds(30), "vector-store's two ReplicaSets, both owned by its Deployment");

        var byRevision = sets.ToDictionary(rs => rs.Metadata.Annotations["deployment.kubernetes.io/revision"], rs => rs.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal("ghcr.io/kosmos-ai/vector-store:2.4.2", byRevision["1"]);
        Assert.Equal("ghcr.io/kosmos-ai/vector-store:2.5.0-rc1", byRevision["2"]);
        var deployment = await fixture.Client.AppsV1.ReadNamespacedDeploymentAsync("vector-store", "kosmos");
        Assert.Equal("2", deployment.Metadata.Annotations["deployment.kubernetes.io/revision"]);
    }

    [Fact]
    public async Task SeededSnapshots_AreTwoPerStatefulAgent_OfItsClaim()
    {
        var list = await fixture.Client.CustomObjects.ListNamespacedCustomObjectAsync("snapshot.storage.k8s.io", "v1", "kosmos", "volumesnapshots");
        var items = ((JsonElement)list).GetProperty("items").EnumerateArray()
            .Select(s => (Name: s.GetProperty("metadata").GetProperty("name").GetString(), Claim: s.GetProperty("spec").GetProperty("source").GetProperty("persistentVolumeClaimName").GetString()))
            .OrderBy(s => s.Name)
            .ToList();

        Assert.Equal(
            [("archivist-state-nightly", "archivist-state"), ("archivist-state-weekly", "archivist-state"), ("planner-state-nightly", "planner-state"), ("planner-state-pre-upgrade", "planner-state")],
            items);
        var get = (await fixture.Kubectl.RunAsync("get", "volumesnapshots", "-n", "kosmos")).EnsureSuccess();
        Assert.Matches(@"archivist-state-nightly\s+\S+\s+archivist-state\s", get.Stdout);
    }

    [Fact]
    public void SeedDemo_Twice_CreatesNothingTheSecondTime()
    {
        var store = new ObjectStore(TimeProvider.System);
        var seeder = new FleetSeeder(store, TimeProvider.System);

        var first = seeder.SeedDemo();
        var second = seeder.SeedDemo();

        Assert.Equal(FleetSeeder.LoadManifests(FleetSeeder.FindManifestsDirectory()!).Count, first);
        Assert.Equal(0, second);
    }
}

/// <summary>Large synthetic fleets for scale benchmarks.</summary>
public sealed class FleetBulkTests(KubeletFixture fixture) : IClassFixture<KubeletFixture>
{
    [Fact]
    public void SeedBulk_TwentyThousandPods_IsCheap()
    {
        var store = new ObjectStore(TimeProvider.System);
        var started = ThreadCpuTime();

        var created = new FleetSeeder(store, TimeProvider.System).SeedBulk(agents: 1000, podsPerAgent: 20);

        Assert.Equal(20_000, created);
        Assert.Equal(20_000, store.Count(ResourceKinds.Pods));
        var took = ThreadCpuTime() - started;
        Assert.True(took < TimeSpan.FromSeconds(20), $"took {took} of CPU");
    }

    // The cost is the seeding thread's CPU time, not the wall clock: on a loaded machine (it took 44 s of wall time under
    // stress --cpu 2 beside other builds) the thread mostly waits for a core, which says nothing about the work.
    // Seeding is synchronous, so it stays on this thread. Linux's schedstat gives nanoseconds on CPU; elsewhere, wall time.
    private static TimeSpan ThreadCpuTime() =>
        File.Exists("/proc/thread-self/schedstat")
            ? TimeSpan.FromTicks(long.Parse(File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 100)
            : TimeSpan.FromTicks(Environment.TickCount64 * TimeSpan.TicksPerMillisecond);

    [Fact]
    public async Task BulkPods_AreRunningAndReady_WithARealPodsShape_AndTheKubeletLeavesThemAlone()
    {
        var seeder = new FleetSeeder(fixture.Simulator.Store, TimeProvider.System);
        seeder.SeedBulk(agents: 30, podsPerAgent: 10, ns: "bulk");

        var pods = await fixture.Client.CoreV1.ListNamespacedPodAsync("bulk", labelSelector: "app=bulk-agent-00007");
        Assert.Equal(10, pods.Items.Count);
        Assert.All(pods.Items, p =>
        {
            Assert.Equal("Running", p.Status.Phase);
            Assert.StartsWith(Kubelet.BulkNodePrefix, p.Spec.NodeName);
            Assert.Equal(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"], p.Status.Conditions.Select(c => c.Type));
            Assert.True(p.Status.ContainerStatuses.Single().Ready);
        });
        var get = (await fixture.Kubectl.RunAsync("get", "pods", "-n", "bulk", "-l", "app=bulk-agent-00007")).EnsureSuccess();
        Assert.Equal(10, get.Stdout.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"\s1/1\s+Running\s+0\s")));

        var victim = pods.Items[0].Metadata.Name;
        // No kubelet runs bulk pods: the simulated node removes a deleted one a simulated second later.
        (await SimulatedTime.While(fixture.Clock!, TimeSpan.FromSeconds(1), fixture.Kubectl.RunAsync("delete", "pod", victim, "-n", "bulk"), "kubectl delete of a bulk pod")).EnsureSuccess();
        var left = await fixture.Client.CoreV1.ListNamespacedPodAsync("bulk");
        Assert.Equal(299, left.Items.Count);
        Assert.DoesNotContain(left.Items, p => p.Metadata.Name == victim);
    }
}
