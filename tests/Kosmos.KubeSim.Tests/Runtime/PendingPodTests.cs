using System.Text.Json.Nodes;
using k8s;
using System.Text.RegularExpressions;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Runtime;

/// <summary>Pods that never get to run: images that do not exist, requests no node can hold — and kubectl's view of every state.</summary>
public sealed class PendingPodTests(KubeletFixture fixture) : PodTests(fixture)
{
    private const string Insufficient =
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";

    [Fact]
    public async Task MissingImageTag_IsErrImagePullThenImagePullBackOff_WithTheKubeletsEvents()
    {
        var agent = Unique("pull");
        var name = agent + "-0";
        const string Image = "ghcr.io/kosmos-ai/vector-store:9.9.9-rc1";
        await SetBehaviourAsync(agent, """{"role":"vector-store","missingImageTags":["9.9.9-rc1"]}""");
        await CreateAsync(AgentPod(name, agent, image: Image));

        var pod = await WaitForAsync(name, p => Agent(p).State?.Waiting?.Reason == "ImagePullBackOff", "ImagePullBackOff");

        var container = Agent(pod);
        Assert.Equal($"Back-off pulling image \"{Image}\"", container.State.Waiting.Message);
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Equal(0, container.RestartCount);
        Assert.Equal(Image, container.Image);
        Assert.Equal("", container.ImageID);
        Assert.Null(container.ContainerID);
        Assert.False(container.Started);
        var events = await WaitForEventAsync(name, e => e.Message == "Error: ImagePullBackOff", "Error: ImagePullBackOff");
        Assert.Contains(events, e => e.Reason == "Failed" && e.Type == "Warning" && e.Message.StartsWith($"Failed to pull image \"{Image}\": rpc error: code = NotFound", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Reason == "Failed" && e.Message == "Error: ErrImagePull");
        Assert.Contains(events, e => e.Reason == "BackOff" && e.Type == "Normal" && e.Message == $"Back-off pulling image \"{Image}\"");
        var logs = await Kubectl.RunAsync("logs", name, "-n", Ns);
        // Between two pulls the container is ErrImagePull for a moment, then ImagePullBackOff: the server words each its own way.
        Assert.Matches($"Error from server \\(BadRequest\\): container \"agent\" in pod \"{name}\" is waiting to start: (trying and failing to pull image|image can't be pulled)", logs.Stderr);

        // The fix a runbook applies: an image that exists. A bare pod's image may be changed in place; a new pod shows it here.
        await CreateAsync(AgentPod(agent + "-1", agent, image: "ghcr.io/kosmos-ai/vector-store:2.4.1"));
        await WaitForAsync(agent + "-1", p => Condition(p, "Ready", "True"), "Ready with an existing tag");
    }

    [Fact]
    public async Task PodRequestingMoreCpuThanTheNodeHas_StaysPendingUnschedulable_WithFailedScheduling()
    {
        var agent = Unique("greedy");
        var name = agent + "-0";
        await CreateAsync(AgentPod(name, agent, container: new JsonObject
        {
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "16", ["memory"] = "512Mi" } },
        }));

        var pod = await WaitForAsync(name, p => Condition(p, "PodScheduled", "False"), "Unschedulable");

        var condition = Assert.Single(pod.Status.Conditions);
        Assert.Equal("Unschedulable", condition.Reason);
        Assert.Equal(Insufficient, condition.Message);
        Assert.NotNull(condition.LastTransitionTime);
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Null(pod.Spec.NodeName);
        Assert.Null(pod.Status.ContainerStatuses);
        Assert.Null(pod.Status.PodIP);
        var events = await WaitForEventAsync(name, e => e.Reason == "FailedScheduling", "FailedScheduling");
        var failed = events.First(e => e.Reason == "FailedScheduling");
        Assert.Equal("Warning", failed.Type);
        Assert.Equal(Insufficient, failed.Message);
        Assert.Equal("default-scheduler", failed.Source.Component);
        var describe = (await Kubectl.RunAsync("describe", "pod", name, "-n", Ns)).EnsureSuccess();
        Assert.Matches(@"Warning\s+FailedScheduling\s+.*default-scheduler\s+0/1 nodes are available: 1 Insufficient cpu\.", describe.Stdout);
        Assert.Empty((await Kubectl.RunAsync("logs", name, "-n", Ns)).EnsureSuccess().Stdout);

        (await Kubectl.RunAsync("delete", "pod", name, "-n", Ns)).EnsureSuccess();
        Assert.True(await IsGoneAsync(name));
    }

    [Fact]
    public async Task UnschedulablePod_IsScheduledOnceCapacityIsFreed()
    {
        var hog = Unique("hog");
        var waiter = Unique("waiter");
        var sixCores = new JsonObject { ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "6" } } };
        await CreateAsync(AgentPod(hog + "-0", hog, container: sixCores));
        await WaitForAsync(hog + "-0", p => p.Spec.NodeName is not null, "hog scheduled");
        await CreateAsync(AgentPod(waiter + "-0", waiter, container: sixCores));
        await WaitForAsync(waiter + "-0", p => Condition(p, "PodScheduled", "False"), "waiter unschedulable");

        await Client.CoreV1.DeleteNamespacedPodAsync(hog + "-0", Ns);

        await WaitForAsync(waiter + "-0", p => Condition(p, "Ready", "True"), "waiter Ready");
        var events = await EventsAsync(waiter + "-0");
        Assert.Contains(events, e => e.Reason == "Scheduled");
    }

    [Fact]
    public async Task PodWithAnUnboundClaim_WaitsUnschedulable_UntilTheClaimIsBound()
    {
        var agent = Unique("stateful");
        var name = agent + "-0";
        await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = agent + "-state" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
                // Restored from a snapshot that does not exist: the provisioner leaves it Pending until the test binds it.
                // A plain claim binds after 2 simulated seconds (33 ms real here), often before the scheduler first looks.
                DataSource = new V1TypedLocalObjectReference { ApiGroup = "snapshot.storage.k8s.io", Kind = "VolumeSnapshot", Name = agent + "-never" },
            },
        }, Ns);
        await CreateAsync(AgentPod(name, agent,
            container: new JsonObject { ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "state", ["mountPath"] = "/var/lib/kosmos" }) },
            spec: new JsonObject { ["volumes"] = new JsonArray(new JsonObject { ["name"] = "state", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = agent + "-state" } }) }));

        var pod = await WaitForAsync(name, p => Condition(p, "PodScheduled", "False"), "waiting for its claim");
        Assert.Equal("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
            pod.Status.Conditions.Single().Message);

        BindClaim(Fixture.Simulator.Store, agent + "-state");

        await WaitForAsync(name, p => Condition(p, "Ready", "True"), "Ready once bound");
        Assert.Contains("state: /var/lib/kosmos (persistent volume)", await LogAsync(name));
    }

    [Fact]
    public async Task PodWhoseNodeSelectorNoNodeHas_IsUnschedulable()
    {
        var agent = Unique("selector");
        await CreateAsync(AgentPod(agent + "-0", agent, spec: new JsonObject { ["nodeSelector"] = new JsonObject { ["gpu"] = "a100" } }));
        await CreateAsync(AgentPod(agent + "-1", agent, spec: new JsonObject { ["nodeSelector"] = new JsonObject { ["kubernetes.io/os"] = "linux" } }));

        var pod = await WaitForAsync(agent + "-0", p => Condition(p, "PodScheduled", "False"), "unschedulable");

        Assert.StartsWith("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.", pod.Status.Conditions.Single().Message);
        await WaitForAsync(agent + "-1", p => p.Spec.NodeName == "kosmos-node-1", "a matching selector is scheduled");
    }

    [Fact]
    public async Task PodMountingAMissingConfigMap_StaysContainerCreatingWithFailedMount_UntilItExists()
    {
        var agent = Unique("mount");
        var name = agent + "-0";
        await CreateAsync(AgentPod(name, agent,
            container: new JsonObject { ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "settings", ["mountPath"] = "/etc/kosmos" }) },
            spec: new JsonObject { ["volumes"] = new JsonArray(new JsonObject { ["name"] = "settings", ["configMap"] = new JsonObject { ["name"] = agent + "-settings" } }) }));

        await WaitForEventAsync(name, e => e.Reason == "FailedMount" && e.Type == "Warning"
            && e.Message == $"MountVolume.SetUp failed for volume \"settings\" : configmap \"{agent}-settings\" not found", "FailedMount");
        var pod = await Client.CoreV1.ReadNamespacedPodAsync(name, Ns);
        Assert.Equal("ContainerCreating", Agent(pod).State.Waiting.Reason);
        Assert.Equal("Pending", pod.Status.Phase);

        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = agent + "-settings" } }, Ns);

        await WaitForAsync(name, p => Condition(p, "Ready", "True"), "Ready once mounted");
    }

    [Fact]
    public async Task KubectlGetPods_StatusColumn_ShowsEachStateAsARealServerPrintsIt()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var crash = $"st-crash-{run}";
        var oom = $"st-oom-{run}";
        var pull = $"st-pull-{run}";
        var pending = $"st-pending-{run}";
        var running = $"st-running-{run}";
        var completed = $"st-done-{run}";
        await SetBehaviourAsync(crash, """{"requiredEnv":["KOSMOS_NOT_SET"]}""");
        await SetBehaviourAsync(oom, """{"memory":{"baseline":"100Mi","need":"700Mi","growthSeconds":8}}""");
        await SetBehaviourAsync(pull, """{"missingImageTags":["0.0.0"]}""");
        var pods = new[]
        {
            AgentPod(crash, crash),
            AgentPod(oom, oom, container: new JsonObject { ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = "256Mi" } } },
                spec: new JsonObject { ["restartPolicy"] = "Never" }),
            AgentPod(pull, pull, image: "ghcr.io/kosmos-ai/x:0.0.0"),
            AgentPod(pending, pending, container: new JsonObject { ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100" } } }),
            AgentPod(running, running),
            AgentPod(completed, completed, image: "busybox:1.36", container: new JsonObject { ["command"] = new JsonArray("sh", "-c", "sleep 2; exit 0") },
                spec: new JsonObject { ["restartPolicy"] = "Never" }),
        };
        foreach (var pod in pods)
        {
            pod.Metadata.Labels["run"] = run;
            await CreateAsync(pod);
        }

        var expected = new Dictionary<string, string>
        {
            [crash] = @"0/1\s+CrashLoopBackOff\s+\d+ \(\S+ ago\)",
            [oom] = @"0/1\s+OOMKilled\s+0",
            [pull] = @"0/1\s+ImagePullBackOff\s+0",
            [pending] = @"0/1\s+Pending\s+0",
            [running] = @"1/1\s+Running\s+0",
            [completed] = @"0/1\s+Completed\s+0",
        };
        var table = await WaitForKubectlAsync(r => expected.All(e => Regex.IsMatch(r.Stdout, $@"(?m)^{e.Key}\s+{e.Value}\s+\S+\s*$")), "every STATUS",
            "get", "pods", "-n", Ns, "-l", $"run={run}");

        Assert.StartsWith("NAME", table.Stdout);
    }
}
