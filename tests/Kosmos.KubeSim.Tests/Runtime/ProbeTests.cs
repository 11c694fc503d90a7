using System.Text.Json.Nodes;
using k8s;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Kosmos.KubeSim.Tests.Runtime;

/// <summary>Deadlocked agents as the kubelet's probes find them, and how a restart recovers them.</summary>
public sealed class ProbeTests(KubeletFixture fixture) : PodTests(fixture)
{
    private static JsonObject Probe(string path, int period, int failureThreshold) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = "http" },
        ["initialDelaySeconds"] = 1,
        ["periodSeconds"] = period,
        ["timeoutSeconds"] = 1,
        ["failureThreshold"] = failureThreshold,
    };

    [Fact]
    public async Task DeadlockedAgent_FailsReadiness_IsNotReady_ButKeepsRunning()
    {
        var agent = Unique("deadlock");
        var name = agent + "-0";
        await SetBehaviourAsync(agent, """{"role":"coder","startupSeconds":1,"workIntervalSeconds":4,"deadlock":{"afterSeconds":8}}""");
        await CreateAsync(AgentPod(name, agent, container: new JsonObject
        {
            ["readinessProbe"] = Probe("/readyz", 2, 2),
            ["livenessProbe"] = new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = "http" }, ["periodSeconds"] = 5 },
        }));
        await WaitForAsync(name, p => Condition(p, "Ready", "True"), "Ready before the deadlock");

        var pod = await WaitForAsync(name, p => Condition(p, "Ready", "False") && Agent(p).State?.Running is not null, "Ready=False while running");

        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal(0, Agent(pod).RestartCount);
        Assert.False(Agent(pod).Ready);
        Assert.True(Agent(pod).Started);
        static bool TimedOut(Corev1Event e) => e.Reason == "Unhealthy" && e.Message.Contains("context deadline exceeded", StringComparison.Ordinal);
        var events = await WaitForEventAsync(name, TimedOut, "Unhealthy (timeout)");
        var unhealthy = events.First(TimedOut);
        Assert.Equal("Warning", unhealthy.Type);
        Assert.Equal("spec.containers{agent}", unhealthy.InvolvedObject.FieldPath);
        Assert.Equal($"Readiness probe failed: Get \"http://{pod.Status.PodIP}:8080/readyz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", unhealthy.Message);
        Assert.Contains("waiting for lock 'conversation-index'", await LogAsync(name));
        var get = (await Kubectl.RunAsync("get", "pod", name, "-n", Ns)).EnsureSuccess();
        Assert.Matches($@"{name}\s+0/1\s+Running\s+0\s+", get.Stdout);
        var describe = (await Kubectl.RunAsync("describe", "pod", name, "-n", Ns)).EnsureSuccess();
        Assert.Matches(@"Warning\s+Unhealthy\s+.*kubelet\s+Readiness probe failed: Get ""http://[\d.]+:8080/readyz"": context deadline exceeded", describe.Stdout);
    }

    [Fact]
    public async Task DeadlockedAgent_WithALivenessProbe_IsKilledAndRestarted_AndTheRestartRecovers()
    {
        var agent = Unique("liveness");
        var name = agent + "-0";
        await SetBehaviourAsync(agent, """{"startupSeconds":1,"workIntervalSeconds":4,"deadlock":{"afterSeconds":6}}""");
        await CreateAsync(AgentPod(name, agent,
            container: new JsonObject { ["readinessProbe"] = Probe("/readyz", 2, 1), ["livenessProbe"] = Probe("/healthz", 2, 3) },
            spec: new JsonObject { ["terminationGracePeriodSeconds"] = 10 }));

        var pod = await WaitForAsync(name, p => Agent(p).RestartCount == 1 && Condition(p, "Ready", "True"), "restarted and Ready again");

        var last = Agent(pod).LastState.Terminated;
        Assert.Equal(137, last.ExitCode);
        Assert.Equal("Error", last.Reason);
        var events = await EventsAsync(name);
        Assert.Contains(events, e => e.Reason == "Killing" && e.Message == "Container agent failed liveness probe, will be restarted");
        Assert.Contains(events, e => e.Reason == "Unhealthy" && e.Message.StartsWith("Liveness probe failed: Get \"http://", StringComparison.Ordinal));
        Assert.Contains("waiting for lock 'conversation-index'", await LogAsync(name, previous: true));
    }

    [Fact]
    public async Task SlowStartingAgent_WithAStartupProbe_IsStartedOnlyOnceItServes()
    {
        var agent = Unique("startup");
        var name = agent + "-0";
        await SetBehaviourAsync(agent, """{"startupSeconds":12}""");
        var startup = Probe("/healthz", 2, 30);
        await CreateAsync(AgentPod(name, agent, container: new JsonObject { ["startupProbe"] = startup, ["readinessProbe"] = Probe("/readyz", 2, 3) }));

        var pod = await WaitForAsync(name, p => Condition(p, "Ready", "True"), "Ready");

        Assert.True(Agent(pod).Started);
        Assert.Equal(0, Agent(pod).RestartCount);
        var events = await EventsAsync(name);
        Assert.Contains(events, e => e.Reason == "Unhealthy" && e.Message == "Startup probe failed: HTTP probe failed with statuscode: 503");
        Assert.DoesNotContain(events, e => e.Message.StartsWith("Readiness probe failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecreatedPod_OfADeadlockedAgent_ServesPastTheDeadlockTime()
    {
        var agent = Unique("recreate");
        await SetBehaviourAsync(agent, """{"role":"coder","startupSeconds":1,"workIntervalSeconds":2,"deadlock":{"afterSeconds":6}}""");
        var readiness = new JsonObject { ["readinessProbe"] = Probe("/readyz", 2, 1) };
        await CreateAsync(AgentPod(agent + "-a", agent, container: readiness));
        // The log keeps what happened; the first pod's Ready=True lasts ~70 ms at this time scale, short enough to miss.
        await WaitForLogAsync(agent + "-a", "waiting for lock");
        await WaitForAsync(agent + "-a", p => Condition(p, "Ready", "False"), "first pod deadlocked");

        // What `kubectl delete pod` / `rollout restart` does: a new pod instance.
        await Client.CoreV1.DeleteNamespacedPodAsync(agent + "-a", Ns);
        await CreateAsync(AgentPod(agent + "-b", agent, container: readiness));

        // Six work lines at two-second intervals take the new instance well past the six seconds the first one lasted.
        var log = await WaitForLogAsync(agent + "-b", "task c-0006");
        var pod = await Client.CoreV1.ReadNamespacedPodAsync(agent + "-b", Ns);
        Assert.True(Condition(pod, "Ready", "True"));
        Assert.DoesNotMatch(new Regex("waiting for lock"), log);
    }

    [Fact]
    public async Task ReArmingTheBehaviour_MakesTheNextInstanceDeadlockAgain()
    {
        var agent = Unique("rearm");
        const string Behaviour = """{"startupSeconds":1,"workIntervalSeconds":2,"deadlock":{"afterSeconds":4}}""";
        await SetBehaviourAsync(agent, Behaviour);
        var readiness = new JsonObject { ["readinessProbe"] = Probe("/readyz", 2, 1) };
        await CreateAsync(AgentPod(agent + "-a", agent, container: readiness));
        await WaitForLogAsync(agent + "-a", "waiting for lock");

        await SetBehaviourAsync(agent, Behaviour);
        await CreateAsync(AgentPod(agent + "-b", agent, container: readiness));

        await WaitForLogAsync(agent + "-b", "waiting for lock");
        await WaitForAsync(agent + "-b", p => Condition(p, "Ready", "False") && Agent(p).State?.Running is not null, "second instance not ready");
    }
}
