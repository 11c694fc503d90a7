using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Runtime;

/// <summary>Agents whose program exits: OOM kills, configuration errors, missing dependencies — and how each recovers.</summary>
public sealed class CrashLoopTests(KubeletFixture fixture) : PodTests(fixture)
{
    private static JsonObject MemoryLimit(string limit) => new()
    {
        ["resources"] = new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" },
            ["limits"] = new JsonObject { ["memory"] = limit },
        },
    };

    [Fact]
    public async Task AgentNeedingMoreMemoryThanItsLimit_IsOomKilledWith137_ThenBacksOff()
    {
        var agent = Unique("oom");
        var name = agent + "-0";
        await SetBehaviourAsync(agent, """{"role":"summarizer","memory":{"baseline":"140Mi","need":"700Mi","growthSeconds":16}}""");
        await CreateAsync(AgentPod(name, agent, container: MemoryLimit("256Mi")));

        var pod = await WaitForAsync(name, p => Agent(p).State?.Waiting?.Reason == "CrashLoopBackOff" && Agent(p).RestartCount >= 1, "CrashLoopBackOff");

        var container = Agent(pod);
        Assert.Equal("OOMKilled", container.LastState.Terminated.Reason);
        Assert.Equal(137, container.LastState.Terminated.ExitCode);
        Assert.Equal(container.ContainerID, container.LastState.Terminated.ContainerID);
        Assert.NotNull(container.LastState.Terminated.StartedAt);
        Assert.NotNull(container.LastState.Terminated.FinishedAt);
        Assert.Matches($@"^back-off (10|20|40|80|160)s restarting failed container=agent pod={name}_kosmos\({pod.Metadata.Uid}\)$", container.State.Waiting.Message);
        Assert.False(container.Ready);
        Assert.False(container.Started);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Contains(pod.Status.Conditions, c => c.Type == "Ready" && c.Status == "False" && c.Reason == "ContainersNotReady"
            && c.Message == "containers with unready status: [agent]");
        var events = await WaitForEventAsync(name, e => e.Reason == "BackOff" && e.Type == "Warning"
            && e.Message == $"Back-off restarting failed container agent in pod {name}_kosmos({pod.Metadata.Uid})", "BackOff");

        // A real kubelet records no pod event for a container's OOM kill: lastState (OOMKilled, 137) and BackOff tell it.
        // The kernel's "OOMKilling" is a Node event from node-problem-detector, which is not the kubelet's (nor simulated).
        Assert.DoesNotContain(events, e => e.Reason.Contains("OOM", StringComparison.OrdinalIgnoreCase));

        // --previous is the run that was OOM-killed: it ends mid-load, with no last words.
        var previous = (await Kubectl.RunAsync("logs", name, "-n", Ns, "--previous")).EnsureSuccess().Stdout;
        var lines = previous.TrimEnd('\n').Split('\n');
        Assert.Contains($"starting kosmos-agent {agent}", lines[0]);
        Assert.Matches(@"INFO loading summarization model: \d+Mi of 700Mi$", lines[^1]);
    }

    [Fact]
    public async Task SameAgent_WithItsMemoryLimitRaised_RunsAndStaysRunning()
    {
        var agent = Unique("oomfixed");
        var name = agent + "-0";
        await SetBehaviourAsync(agent, """{"role":"summarizer","workIntervalSeconds":5,"memory":{"baseline":"140Mi","need":"700Mi","growthSeconds":16}}""");
        await CreateAsync(AgentPod(name, agent, container: MemoryLimit("2Gi")));

        await WaitForLogAsync(name, "summary s-0003");

        var pod = await Client.CoreV1.ReadNamespacedPodAsync(name, Ns);
        Assert.Equal(0, Agent(pod).RestartCount);
        Assert.NotNull(Agent(pod).State.Running);
        Assert.Contains("loaded summarization model (700Mi resident)", await LogAsync(name));
    }

    [Fact]
    public async Task OomKilledPod_ThatIsNotRestarted_ShowsOOMKilledInKubectlGet()
    {
        var agent = Unique("oomnever");
        var name = agent + "-0";
        await SetBehaviourAsync(agent, """{"memory":{"baseline":"100Mi","need":"700Mi","growthSeconds":8}}""");
        await CreateAsync(AgentPod(name, agent, container: MemoryLimit("256Mi"), spec: new JsonObject { ["restartPolicy"] = "Never" }));

        var pod = await WaitForAsync(name, p => p.Status?.Phase == "Failed", "Failed");

        Assert.Equal("OOMKilled", Agent(pod).State.Terminated.Reason);
        Assert.Equal(137, Agent(pod).State.Terminated.ExitCode);
        Assert.Equal(0, Agent(pod).RestartCount);
        var get = (await Kubectl.RunAsync("get", "pod", name, "-n", Ns)).EnsureSuccess();
        Assert.Matches($@"{name}\s+0/1\s+OOMKilled\s+0\s+", get.Stdout);
    }

    [Fact]
    public async Task AgentMissingARequiredSetting_ExitsOneWithAFatalLine_AndRecoversWhenTheSettingExists()
    {
        var agent = Unique("config");
        var name = agent + "-0";
        await SetBehaviourAsync(agent, """{"role":"researcher","requiredEnv":["KOSMOS_MODEL_ENDPOINT"]}""");

        // The setting comes from the agent's ConfigMap, which carries an outdated key name.
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = agent + "-config" },
            Data = new Dictionary<string, string> { ["KOSMOS_MODEL_URL"] = "http://model-gateway.kosmos.svc:8000/v1" },
        }, Ns);
        await CreateAsync(AgentPod(name, agent, container: new JsonObject
        {
            ["env"] = new JsonArray(),
            ["envFrom"] = new JsonArray(new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = agent + "-config" } }),
        }));

        var pod = await WaitForAsync(name, p => Agent(p).State?.Waiting?.Reason == "CrashLoopBackOff", "CrashLoopBackOff");
        Assert.Equal(1, Agent(pod).LastState.Terminated.ExitCode);
        Assert.Equal("Error", Agent(pod).LastState.Terminated.Reason);
        var previous = (await Kubectl.RunAsync("logs", name, "-n", Ns, "--previous")).EnsureSuccess().Stdout;
        Assert.Contains("FATAL config: required setting KOSMOS_MODEL_ENDPOINT is not set", previous);
        Assert.Contains("KOSMOS_MODEL_URL=http://model-gateway.kosmos.svc:8000/v1", previous);
        var get = await WaitForKubectlAsync(r => r.Stdout.Contains("CrashLoopBackOff", StringComparison.Ordinal), "kubectl get shows CrashLoopBackOff",
            "get", "pod", name, "-n", Ns);
        Assert.Matches($@"{name}\s+0/1\s+CrashLoopBackOff\s+\d+ \(\S+ ago\)\s+", get.Stdout);

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"KOSMOS_MODEL_ENDPOINT":"http://model-gateway.kosmos.svc:8000/v1"}}""",
            V1Patch.PatchType.MergePatch), agent + "-config", Ns);
        await WaitForAsync(name, p => Condition(p, "Ready", "True"), "Ready after the fix");
    }

    [Fact]
    public async Task EnvFromAMissingConfigMap_IsCreateContainerConfigError_UntilTheConfigMapExists()
    {
        var agent = Unique("cmref");
        var name = agent + "-0";
        await CreateAsync(AgentPod(name, agent, container: new JsonObject
        {
            ["env"] = new JsonArray(new JsonObject
            {
                ["name"] = "KOSMOS_MODEL_ENDPOINT",
                ["valueFrom"] = new JsonObject { ["configMapKeyRef"] = new JsonObject { ["name"] = agent + "-config", ["key"] = "model-endpoint" } },
            }),
        }));

        var pod = await WaitForAsync(name, p => Agent(p).State?.Waiting?.Reason == "CreateContainerConfigError", "CreateContainerConfigError");
        Assert.Equal($"configmap \"{agent}-config\" not found", Agent(pod).State.Waiting.Message);
        Assert.Equal("Pending", pod.Status.Phase);
        await WaitForEventAsync(name, e => e.Reason == "Failed" && e.Type == "Warning" && e.Message == $"Error: configmap \"{agent}-config\" not found", "Failed");

        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = agent + "-config" },
            Data = new Dictionary<string, string> { ["model"] = "typo" },
        }, Ns);
        pod = await WaitForAsync(name, p => Agent(p).State?.Waiting?.Message?.StartsWith("couldn't find key", StringComparison.Ordinal) == true, "missing key");
        Assert.Equal($"couldn't find key model-endpoint in ConfigMap kosmos/{agent}-config", Agent(pod).State.Waiting.Message);

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"model-endpoint":"http://model-gateway.kosmos.svc:8000/v1"}}""",
            V1Patch.PatchType.MergePatch), agent + "-config", Ns);
        await WaitForAsync(name, p => Condition(p, "Ready", "True"), "Ready");
    }

    [Fact]
    public async Task AgentWhoseDependencyIsDown_CrashLoopsWithConnectionRefused_AndRecoversOnceTheDependencyIsReady()
    {
        var dependency = Unique("store");
        var agent = Unique("needs");
        var name = agent + "-0";
        await SetBehaviourAsync(agent, $$"""{"role":"reviewer","dependencies":[{"agent":"{{dependency}}","urlEnv":"KOSMOS_STORE_URL"}]}""");
        var url = $"http://{dependency}.kosmos.svc:8080";
        await CreateAsync(AgentPod(name, agent, container: new JsonObject
        {
            ["env"] = new JsonArray(
                new JsonObject { ["name"] = "KOSMOS_MODEL_ENDPOINT", ["value"] = "http://model-gateway.kosmos.svc:8000/v1" },
                new JsonObject { ["name"] = "KOSMOS_STORE_URL", ["value"] = url }),
            ["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/readyz", ["port"] = "http" }, ["periodSeconds"] = 2 },
        }));

        var pod = await WaitForAsync(name, p => Agent(p).State?.Waiting?.Reason == "CrashLoopBackOff", "CrashLoopBackOff");
        Assert.Equal(1, Agent(pod).LastState.Terminated.ExitCode);
        Assert.Contains($"ERROR dependency {dependency} unavailable: connection refused ({url})", await LogAsync(name, previous: true));

        await CreateAsync(AgentPod(dependency + "-0", dependency));
        await WaitForAsync(dependency + "-0", p => Condition(p, "Ready", "True"), "dependency Ready");

        await WaitForAsync(name, p => Condition(p, "Ready", "True"), "Ready once the dependency is");
        Assert.Contains($"connected to {dependency} ({url})", await LogAsync(name));
    }
}
