using k8s;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Controllers;

[Collection(ControllerClusterCollection.Name)]
public sealed class DeploymentControllerTests(ControllerClusterFixture fixture)
{
    private readonly IKubernetes _client = fixture.Client;

    [Fact]
    public async Task CreateDeployment_NewDeployment_CreatesOwnedReplicaSetAndPods()
    {
        var ns = await fixture.NewNamespaceAsync("deploy");
        var created = await _client.AppsV1.CreateNamespacedDeploymentAsync(Cluster.Deployment(ns, "planner", 2), ns);

        var deployment = await fixture.RolledOutAsync(ns, "planner");

        var rs = Assert.Single(await Cluster.ReplicaSetsAsync(_client, ns, "planner"));
        var hash = rs.Metadata.Labels["pod-template-hash"];
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", hash);
        Assert.Equal($"planner-{hash}", rs.Metadata.Name);
        Assert.Equal(hash, rs.Spec.Selector.MatchLabels["pod-template-hash"]);
        Assert.Equal(hash, rs.Spec.Template.Metadata.Labels["pod-template-hash"]);
        var owner = Assert.Single(rs.Metadata.OwnerReferences);
        Assert.Equal(("Deployment", "planner", created.Metadata.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller ?? false));
        Assert.Equal("1", rs.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        Assert.Equal("2", rs.Metadata.Annotations["deployment.kubernetes.io/desired-replicas"]);
        Assert.Equal("3", rs.Metadata.Annotations["deployment.kubernetes.io/max-replicas"]);
        Assert.Equal("1", deployment.Metadata.Annotations["deployment.kubernetes.io/revision"]);

        var pods = await Cluster.PodsAsync(_client, ns, "planner");
        Assert.Equal(2, pods.Count);
        foreach (var pod in pods)
        {
            Assert.StartsWith($"{rs.Metadata.Name}-", pod.Metadata.Name, StringComparison.Ordinal);
            Assert.Equal(hash, pod.Metadata.Labels["pod-template-hash"]);
            var podOwner = Assert.Single(pod.Metadata.OwnerReferences);
            Assert.Equal(("ReplicaSet", rs.Metadata.Name, rs.Metadata.Uid, true, true),
                (podOwner.Kind, podOwner.Name, podOwner.Uid, podOwner.Controller ?? false, podOwner.BlockOwnerDeletion ?? false));
            Assert.Equal("kosmos/agent:1.0", Assert.Single(pod.Spec.Containers).Image);
        }

        Assert.Equal((2, 2, 2, 2), (deployment.Status.Replicas, deployment.Status.UpdatedReplicas, deployment.Status.ReadyReplicas, deployment.Status.AvailableReplicas));
        Assert.Contains(deployment.Status.Conditions, c => c is { Type: "Available", Status: "True", Reason: "MinimumReplicasAvailable" });
        Assert.Contains(deployment.Status.Conditions, c => c is { Type: "Progressing", Status: "True", Reason: "NewReplicaSetAvailable" }
            && c.Message == $"ReplicaSet \"{rs.Metadata.Name}\" has successfully progressed.");

        var scaled = Assert.Single(await Cluster.EventsAsync(_client, ns, "planner"), e => e.Reason == "ScalingReplicaSet");
        Assert.Equal($"Scaled up replica set {rs.Metadata.Name} from 0 to 2", scaled.Message);
        Assert.Equal(("Normal", "deployment-controller", created.Metadata.Uid), (scaled.Type, scaled.Source.Component, scaled.InvolvedObject.Uid));
        var rsEvents = await Cluster.EventsAsync(_client, ns, rs.Metadata.Name);
        Assert.Equal(pods.Select(p => $"Created pod: {p.Metadata.Name}").Order(),
            rsEvents.Where(e => e.Reason == "SuccessfulCreate").Select(e => e.Message).Order());
    }

    [Fact]
    public async Task SetResources_Kubectl_RollsOutRevisionTwoAndRetiresOldReplicaSet()
    {
        var ns = await fixture.NewNamespaceAsync("resources");
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Cluster.Deployment(ns, "coder", 2), ns);
        await fixture.RolledOutAsync(ns, "coder");
        var oldRs = Assert.Single(await Cluster.ReplicaSetsAsync(_client, ns, "coder"));
        var oldPods = (await Cluster.PodsAsync(_client, ns, "coder")).Select(p => p.Metadata.Name).ToHashSet();

        (await fixture.Kubectl.RunAsync("set", "resources", "deployment", "coder", "-n", ns, "--limits=memory=2Gi", "--requests=memory=1Gi")).EnsureSuccess();
        var status = (await fixture.While(fixture.Kubectl.RunAsync(["rollout", "status", "deployment/coder", "-n", ns, "--timeout=90s"], null, TimeSpan.FromSeconds(120)), "kubectl rollout status")).EnsureSuccess();

        Assert.Contains("successfully rolled out", status.Stdout, StringComparison.Ordinal);
        var deployment = await _client.AppsV1.ReadNamespacedDeploymentAsync("coder", ns);
        Assert.Equal("2", deployment.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        var replicaSets = await Cluster.ReplicaSetsAsync(_client, ns, "coder");
        Assert.Equal(2, replicaSets.Count);
        var newRs = Assert.Single(replicaSets, rs => rs.Metadata.Uid != oldRs.Metadata.Uid);
        Assert.Equal("2", newRs.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        Assert.Equal(2, newRs.Spec.Replicas);
        Assert.Equal(0, replicaSets.Single(rs => rs.Metadata.Uid == oldRs.Metadata.Uid).Spec.Replicas);

        var pods = await fixture.Until(() => Cluster.PodsAsync(_client, ns, "coder"),
            p => p.Count == 2 && p.All(x => x.Metadata.DeletionTimestamp is null), "only the new pods");
        foreach (var pod in pods)
        {
            Assert.DoesNotContain(pod.Metadata.Name, oldPods);
            Assert.Equal(newRs.Metadata.Name, pod.Metadata.OwnerReferences.Single().Name);
            var resources = Assert.Single(pod.Spec.Containers).Resources;
            Assert.Equal("2Gi", resources.Limits["memory"].ToString());
            Assert.Equal("1Gi", resources.Requests["memory"].ToString());
        }

        var events = (await Cluster.EventsAsync(_client, ns, "coder")).Where(e => e.Reason == "ScalingReplicaSet").Select(e => e.Message).ToList();
        Assert.Contains($"Scaled up replica set {newRs.Metadata.Name} from 0 to 1", events);
        Assert.Contains(events, m => m.StartsWith($"Scaled down replica set {oldRs.Metadata.Name} from", StringComparison.Ordinal) && m.EndsWith("to 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RolloutRestart_Kubectl_ReplacesEveryPodOneAtATime()
    {
        var ns = await fixture.NewNamespaceAsync("restart");
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Cluster.Deployment(ns, "researcher", 1), ns);
        await fixture.RolledOutAsync(ns, "researcher");
        var before = (await Cluster.PodsAsync(_client, ns, "researcher")).Select(p => p.Metadata.Name).ToHashSet();
        var startRv = (await _client.CoreV1.ListNamespacedPodAsync(ns)).Metadata.ResourceVersion;

        (await fixture.Kubectl.RunAsync("rollout", "restart", "deployment/researcher", "-n", ns)).EnsureSuccess();
        (await fixture.While(fixture.Kubectl.RunAsync(["rollout", "status", "deployment/researcher", "-n", ns, "--timeout=90s"], null, TimeSpan.FromSeconds(120)), "kubectl rollout status")).EnsureSuccess();

        var after = await fixture.Until(() => Cluster.PodsAsync(_client, ns, "researcher"),
            p => p.Count == 1 && !before.Contains(p[0].Metadata.Name), "the old pod to be replaced");
        Assert.True(Cluster.IsReady(after[0]));
        Assert.NotNull(after[0].Metadata.Annotations?["kubectl.kubernetes.io/restartedAt"]);

        // One replica means maxSurge 1, maxUnavailable 0: the new pod was ready before the old one was deleted.
        var timeline = await PodTimelineAsync(ns, startRv);
        var newReady = timeline.First(e => e.Pod == after[0].Metadata.Name && e.Ready).Rv;
        var oldDeleting = timeline.First(e => before.Contains(e.Pod) && (e.Terminating || e.Type == WatchEventType.Deleted)).Rv;
        Assert.True(newReady < oldDeleting, $"the new pod became ready at {newReady}, the old one was deleted at {oldDeleting}");
    }

    [Fact]
    public async Task RolloutStatus_PodNeverReady_TimeoutFormFails()
    {
        var ns = await fixture.NewNamespaceAsync("stuck");
        var deployment = Cluster.Deployment(ns, "stuck", 1, nodeSelector: new Dictionary<string, string>(FakeKubelet.UnschedulableSelector));
        deployment.Spec.ProgressDeadlineSeconds = 3600; // the clock stands still meanwhile: only kubectl's own timeout can end the wait
        await _client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns);

        var timedOut = await fixture.Kubectl.RunAsync(["rollout", "status", "deployment/stuck", "-n", ns, "--timeout=1s"], null, TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, timedOut.ExitCode);
        Assert.Contains("timed out", timedOut.Stderr, StringComparison.Ordinal);
        var pod = Assert.Single(await Cluster.PodsAsync(_client, ns, "stuck"));
        Assert.False(Cluster.IsReady(pod));
    }

    [Fact]
    public async Task RolloutStatus_PodNeverReady_ReportsProgressDeadlineExceeded()
    {
        var ns = await fixture.NewNamespaceAsync("deadline");
        var deployment = Cluster.Deployment(ns, "stuck", 1, nodeSelector: new Dictionary<string, string>(FakeKubelet.UnschedulableSelector));
        deployment.Spec.ProgressDeadlineSeconds = 120; // simulated: passes as the wait below advances the clock
        await _client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns);

        var failed = await fixture.Until(() => _client.AppsV1.ReadNamespacedDeploymentAsync("stuck", ns),
            d => d.Status?.Conditions?.Any(c => c is { Type: "Progressing", Status: "False", Reason: "ProgressDeadlineExceeded" }) == true, "the progress deadline to pass");

        Assert.Contains(failed.Status.Conditions, c => c is { Type: "Available", Status: "False", Reason: "MinimumReplicasUnavailable" });
        var rs = Assert.Single(await Cluster.ReplicaSetsAsync(_client, ns, "stuck"));
        Assert.Equal($"ReplicaSet \"{rs.Metadata.Name}\" has timed out progressing.", failed.Status.Conditions.Single(c => c.Type == "Progressing").Message);
        var exceeded = await fixture.Kubectl.RunAsync(["rollout", "status", "deployment/stuck", "-n", ns, "--timeout=30s"], null, TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exceeded.ExitCode);
        Assert.Contains("exceeded its progress deadline", exceeded.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scale_Kubectl_AddsAndRemovesPods()
    {
        var ns = await fixture.NewNamespaceAsync("scale");
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Cluster.Deployment(ns, "critic", 1), ns);
        await fixture.RolledOutAsync(ns, "critic");
        var rs = Assert.Single(await Cluster.ReplicaSetsAsync(_client, ns, "critic"));

        (await fixture.Kubectl.RunAsync("scale", "deployment/critic", "-n", ns, "--replicas=3")).EnsureSuccess();
        var up = await fixture.RolledOutAsync(ns, "critic");
        Assert.Equal(3, up.Status.ReadyReplicas);
        Assert.Equal(3, (await Cluster.PodsAsync(_client, ns, "critic")).Count(Cluster.IsReady));

        (await fixture.Kubectl.RunAsync("scale", "deployment/critic", "-n", ns, "--replicas=1")).EnsureSuccess();
        await fixture.RolledOutAsync(ns, "critic");
        await fixture.Until(async () => (await Cluster.PodsAsync(_client, ns, "critic")).Count == 1, "two pods to go");

        var only = Assert.Single(await Cluster.ReplicaSetsAsync(_client, ns, "critic"));
        Assert.Equal((rs.Metadata.Uid, 1, "1"), (only.Metadata.Uid, only.Spec.Replicas, only.Metadata.Annotations["deployment.kubernetes.io/desired-replicas"]));
        var messages = (await Cluster.EventsAsync(_client, ns, "critic")).Select(e => e.Message).ToList();
        Assert.Contains($"Scaled up replica set {rs.Metadata.Name} from 1 to 3", messages);
        Assert.Contains($"Scaled down replica set {rs.Metadata.Name} from 3 to 1", messages);
        Assert.Equal(2, (await Cluster.EventsAsync(_client, ns, rs.Metadata.Name)).Count(e => e.Reason == "SuccessfulDelete"));
    }

    [Fact]
    public async Task DeleteDeployment_Kubectl_CollectsReplicaSetsAndPods()
    {
        var ns = await fixture.NewNamespaceAsync("delete");
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Cluster.Deployment(ns, "memory", 2), ns);
        await fixture.RolledOutAsync(ns, "memory");
        Assert.Single(await Cluster.ReplicaSetsAsync(_client, ns, "memory"));

        (await fixture.Kubectl.RunAsync("delete", "deployment", "memory", "-n", ns)).EnsureSuccess();

        await fixture.Until(async () => (await Cluster.ReplicaSetsAsync(_client, ns, "memory")).Count == 0, "the replica set to be collected");
        await fixture.Until(async () => (await Cluster.PodsAsync(_client, ns, "memory")).Count == 0, "the pods to be collected");
    }

    [Fact]
    public async Task Recreate_NewImage_StartsNewPodsOnlyAfterOldOnesAreGone()
    {
        var ns = await fixture.NewNamespaceAsync("recreate");
        var strategy = new V1DeploymentStrategy { Type = "Recreate" };
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Cluster.Deployment(ns, "tool", 2, strategy: strategy), ns);
        await fixture.RolledOutAsync(ns, "tool");
        var oldRs = Assert.Single(await Cluster.ReplicaSetsAsync(_client, ns, "tool"));
        var startRv = (await _client.CoreV1.ListNamespacedPodAsync(ns)).Metadata.ResourceVersion;

        (await fixture.Kubectl.RunAsync("set", "image", "deployment/tool", "-n", ns, "agent=kosmos/agent:2.0")).EnsureSuccess();
        await fixture.RolledOutAsync(ns, "tool");

        var newRs = Assert.Single(await Cluster.ReplicaSetsAsync(_client, ns, "tool"), rs => rs.Metadata.Uid != oldRs.Metadata.Uid);
        Assert.Equal("kosmos/agent:2.0", newRs.Spec.Template.Spec.Containers.Single().Image);
        var timeline = await PodTimelineAsync(ns, startRv);
        var lastOldGone = timeline.Where(e => e.Owner == oldRs.Metadata.Uid && e.Type == WatchEventType.Deleted).Max(e => e.Rv);
        var firstNew = timeline.Where(e => e.Owner == newRs.Metadata.Uid).Min(e => e.Rv);
        Assert.True(lastOldGone < firstNew, $"the last old pod went at {lastOldGone}, the first new one came at {firstNew}");
        Assert.Equal(2, timeline.Count(e => e.Owner == oldRs.Metadata.Uid && e.Type == WatchEventType.Deleted));
    }

    [Fact]
    public async Task PausedDeployment_TemplateChange_WaitsForResume()
    {
        var ns = await fixture.NewNamespaceAsync("paused");
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Cluster.Deployment(ns, "planner", 1), ns);
        await fixture.RolledOutAsync(ns, "planner");

        (await fixture.Kubectl.RunAsync("rollout", "pause", "deployment/planner", "-n", ns)).EnsureSuccess();
        (await fixture.Kubectl.RunAsync("set", "image", "deployment/planner", "-n", ns, "agent=kosmos/agent:3.0")).EnsureSuccess();
        var paused = await fixture.Until(() => _client.AppsV1.ReadNamespacedDeploymentAsync("planner", ns),
            d => d.Status.ObservedGeneration == d.Metadata.Generation && d.Status.Conditions.Any(c => c.Reason == "DeploymentPaused"), "the pause to be observed");
        Assert.Equal("Unknown", paused.Status.Conditions.Single(c => c.Type == "Progressing").Status);
        Assert.Single(await Cluster.ReplicaSetsAsync(_client, ns, "planner"));

        (await fixture.Kubectl.RunAsync("rollout", "resume", "deployment/planner", "-n", ns)).EnsureSuccess();
        (await fixture.While(fixture.Kubectl.RunAsync(["rollout", "status", "deployment/planner", "-n", ns, "--timeout=90s"], null, TimeSpan.FromSeconds(120)), "kubectl rollout status")).EnsureSuccess();
        var pods = await fixture.Until(() => Cluster.PodsAsync(_client, ns, "planner"),
            p => p.Count == 1 && p[0].Spec.Containers[0].Image == "kosmos/agent:3.0", "the new image to run");
        Assert.True(Cluster.IsReady(pods[0]));
        Assert.Equal(2, (await Cluster.ReplicaSetsAsync(_client, ns, "planner")).Count);
    }

    [Fact]
    public async Task RevisionHistoryLimit_ManyRestarts_PrunesOldReplicaSets()
    {
        var ns = await fixture.NewNamespaceAsync("history");
        var deployment = Cluster.Deployment(ns, "agent", 1);
        deployment.Spec.RevisionHistoryLimit = 1;
        await _client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns);
        await fixture.RolledOutAsync(ns, "agent");

        for (var i = 0; i < 3; i++)
        {
            // Distinct timestamps per restart are not guaranteed within a second: change the template explicitly.
            (await fixture.Kubectl.RunAsync("set", "env", "deployment/agent", "-n", ns, $"ROUND={i}")).EnsureSuccess();
            (await fixture.While(fixture.Kubectl.RunAsync(["rollout", "status", "deployment/agent", "-n", ns, "--timeout=90s"], null, TimeSpan.FromSeconds(120)), "kubectl rollout status")).EnsureSuccess();
        }

        var replicaSets = await fixture.Until(() => Cluster.ReplicaSetsAsync(_client, ns, "agent"), r => r.Count == 2, "old replica sets beyond the history limit to be deleted");
        Assert.Equal(["3", "4"], replicaSets.Select(rs => rs.Metadata.Annotations["deployment.kubernetes.io/revision"]).Order());
        Assert.Equal("4", (await _client.AppsV1.ReadNamespacedDeploymentAsync("agent", ns)).Metadata.Annotations["deployment.kubernetes.io/revision"]);
    }

    /// <summary>Every pod change in a namespace since a resourceVersion, replayed from the API's watch history.</summary>
    private async Task<List<PodChange>> PodTimelineAsync(string ns, string fromRv)
    {
        var changes = new List<PodChange>();
        await foreach (var (type, pod) in _client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: fromRv, timeoutSeconds: 1))
        {
            changes.Add(new PodChange(long.Parse(pod.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture), type, pod.Metadata.Name,
                pod.Metadata.OwnerReferences?.SingleOrDefault()?.Uid, Cluster.IsReady(pod), pod.Metadata.DeletionTimestamp is not null));
        }

        return changes;
    }

    private sealed record PodChange(long Rv, WatchEventType Type, string Pod, string? Owner, bool Ready, bool Terminating);
}
