using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Runtime;

/// <summary>
/// Claims as a real cluster keeps them: <c>kubernetes.io/pvc-protection</c> holds a claim that a pod uses until the pod is
/// gone, and a pod whose claim does not exist (or is being deleted) is never scheduled.
/// </summary>
public sealed class ClaimProtectionTests(KubeletFixture fixture) : PodTests(fixture)
{
    [Fact]
    public async Task DeleteClaim_UsedByARunningPod_IsOnlyMarked_UntilThePodIsGone()
    {
        var agent = Unique("guarded");
        var claim = agent + "-state";
        var created = await CreateClaimAsync(claim);
        Assert.Contains("kubernetes.io/pvc-protection", created.Metadata.Finalizers);
        await CreateAsync(StatefulPod(agent + "-0", agent, claim));
        await WaitForAsync(agent + "-0", p => Condition(p, "Ready", "True"), "Ready with its claim");

        var answer = await Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(claim, Ns);

        Assert.NotNull(answer.Metadata.DeletionTimestamp);
        var held = await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claim, Ns);
        Assert.NotNull(held.Metadata.DeletionTimestamp);
        Assert.Equal(new[] { "kubernetes.io/pvc-protection" }, held.Metadata.Finalizers);
        Assert.Equal("Bound", held.Status.Phase);
        var table = (await Kubectl.RunAsync("get", "pvc", claim, "-n", Ns, "--no-headers")).EnsureSuccess().Stdout;
        Assert.Matches($@"^{claim}\s+Terminating\s", table);

        // A new pod may not start on a claim that is going away.
        await CreateAsync(StatefulPod(agent + "-1", agent, claim));
        var waiting = await WaitForAsync(agent + "-1", p => Condition(p, "PodScheduled", "False"), "unschedulable on a terminating claim");
        Assert.Equal($"0/1 nodes are available: persistentvolumeclaim \"{claim}\" is being deleted. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
            waiting.Status.Conditions.Single().Message);

        // The running pod still holds it, however long (simulated) time passes.
        await WaitForLogAsync(agent + "-0", "state: /var/lib/kosmos (persistent volume)");
        Assert.NotNull(await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claim, Ns));

        await Client.CoreV1.DeleteNamespacedPodAsync(agent + "-0", Ns);
        await SimulatedTime.Until(Clock, Step, () => IsGoneAsync(agent + "-0"), gone => gone, "the pod gone");
        await SimulatedTime.Until(Clock, Step, () => ClaimIsGoneAsync(claim), gone => gone, "the claim gone once no pod uses it");
        Assert.True(await ClaimIsGoneAsync(claim));
    }

    [Fact]
    public async Task KubectlDeletePvc_NotInUse_IsGoneAtOnce()
    {
        var claim = Unique("unused") + "-state";
        await CreateClaimAsync(claim);

        var delete = await Kubectl.RunAsync("delete", "pvc", claim, "-n", Ns, "--timeout=60s");

        Assert.Equal($"persistentvolumeclaim \"{claim}\" deleted\n", delete.EnsureSuccess().Stdout);
        Assert.True(await ClaimIsGoneAsync(claim));
    }

    [Fact]
    public async Task RemovingTheFinalizerByHand_DeletesAClaimBeingDeleted()
    {
        var agent = Unique("forced");
        var claim = agent + "-state";
        await CreateClaimAsync(claim);
        await CreateAsync(StatefulPod(agent + "-0", agent, claim));
        await WaitForAsync(agent + "-0", p => Condition(p, "Ready", "True"), "Ready with its claim");
        await Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(claim, Ns);
        Assert.False(await ClaimIsGoneAsync(claim));

        // What an administrator does to force it (kubectl patch pvc X -p '{"metadata":{"finalizers":null}}').
        (await Kubectl.RunAsync("patch", "pvc", claim, "-n", Ns, "--type=merge", "-p", """{"metadata":{"finalizers":null}}""")).EnsureSuccess();

        Assert.True(await ClaimIsGoneAsync(claim));
    }

    [Fact]
    public async Task PodWhoseClaimDoesNotExist_StaysPending_WithTheSchedulersEvent()
    {
        var agent = Unique("orphan");
        var name = agent + "-0";
        await CreateAsync(StatefulPod(name, agent, agent + "-missing"));

        var pod = await WaitForAsync(name, p => Condition(p, "PodScheduled", "False"), "unschedulable without its claim");

        var message = $"0/1 nodes are available: persistentvolumeclaim \"{agent}-missing\" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Equal(("Unschedulable", message), (pod.Status.Conditions.Single().Reason, pod.Status.Conditions.Single().Message));
        Assert.Null(pod.Spec.NodeName);
        var events = await WaitForEventAsync(name, e => e.Reason == "FailedScheduling", "FailedScheduling");
        Assert.Contains(events, e => e.Type == "Warning" && e.Message == message);
        var row = (await Kubectl.RunAsync("get", "pod", name, "-n", Ns, "--no-headers")).EnsureSuccess().Stdout;
        Assert.Matches($@"^{name}\s+0/1\s+Pending\s", row);
    }

    private async Task<V1PersistentVolumeClaim> CreateClaimAsync(string name) =>
        await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
            },
        }, Ns);

    private static V1Pod StatefulPod(string name, string agent, string claim) => AgentPod(name, agent,
        container: new JsonObject { ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "state", ["mountPath"] = "/var/lib/kosmos" }) },
        spec: new JsonObject { ["volumes"] = new JsonArray(new JsonObject { ["name"] = "state", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim } }) });

    private Task<bool> ClaimIsGoneAsync(string claim) => IsNotFoundAsync(() => Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claim, Ns));
}
