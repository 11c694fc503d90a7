using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Runtime;

/// <summary>A healthy pod's life on the simulated node, as kubectl and the .NET client see it.</summary>
public sealed class KubeletLifecycleTests(KubeletFixture fixture) : PodTests(fixture)
{
    private static readonly JsonObject ReadinessProbe = new()
    {
        ["readinessProbe"] = new JsonObject
        {
            ["httpGet"] = new JsonObject { ["path"] = "/readyz", ["port"] = "http" },
            ["initialDelaySeconds"] = 5,
            ["periodSeconds"] = 10,
        },
        ["resources"] = new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = "250m", ["memory"] = "256Mi" },
            ["limits"] = new JsonObject { ["cpu"] = "250m", ["memory"] = "256Mi" },
        },
    };

    [Fact]
    public async Task HealthyPod_IsScheduledStartedAndReady_WithTheShapeOfARealRunningPod()
    {
        var agent = Unique("healthy");
        var name = agent + "-0";
        await CreateAsync(AgentPod(name, agent, container: ReadinessProbe));

        var pod = await WaitForAsync(name, p => Condition(p, "Ready", "True"), "Ready");

        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal("kosmos-node-1", pod.Spec.NodeName);
        Assert.Equal(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"], pod.Status.Conditions.Select(c => c.Type));
        Assert.All(pod.Status.Conditions, c => Assert.NotNull(c.LastTransitionTime));
        Assert.Matches(@"^10\.244\.\d+\.\d+$", pod.Status.PodIP);
        Assert.Equal(pod.Status.PodIP, Assert.Single(pod.Status.PodIPs).Ip);
        Assert.Equal("172.18.0.2", pod.Status.HostIP);
        Assert.NotNull(pod.Status.StartTime);
        Assert.Equal("Guaranteed", pod.Status.QosClass);
        var container = Agent(pod);
        Assert.True(container.Ready);
        Assert.True(container.Started);
        Assert.Equal(0, container.RestartCount);
        Assert.NotNull(container.State.Running?.StartedAt);
        Assert.Matches("^containerd://[0-9a-f]{64}$", container.ContainerID);
        Assert.Equal("ghcr.io/kosmos-ai/test-agent:1.0.0", container.Image);
        Assert.StartsWith("ghcr.io/kosmos-ai/test-agent@sha256:", container.ImageID);
        Assert.Null(container.LastState.Terminated);

        var events = await EventsAsync(name);
        var scheduled = Assert.Single(events, e => e.Reason == "Scheduled");
        Assert.Equal($"Successfully assigned kosmos/{name} to kosmos-node-1", scheduled.Message);
        Assert.Equal("default-scheduler", scheduled.Source.Component);
        Assert.Contains(events, e => e.Reason == "Pulling" && e.Message == "Pulling image \"ghcr.io/kosmos-ai/test-agent:1.0.0\"");
        Assert.Contains(events, e => e.Reason == "Pulled" && e.Message.StartsWith("Successfully pulled image \"ghcr.io/kosmos-ai/test-agent:1.0.0\" in ", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Reason == "Created" && e.Message == "Created container agent" && e.InvolvedObject.FieldPath == "spec.containers{agent}");
        Assert.Contains(events, e => e.Reason == "Started" && e.Message == "Started container agent" && e.Source.Component == "kubelet" && e.Source.Host == "kosmos-node-1");
        Assert.All(events, e => Assert.Equal("Normal", e.Type));

        var get = (await Kubectl.RunAsync("get", "pod", name, "-n", Ns)).EnsureSuccess();
        Assert.Matches($@"{name}\s+1/1\s+Running\s+0\s+", get.Stdout);
        var describe = (await Kubectl.RunAsync("describe", "pod", name, "-n", Ns)).EnsureSuccess();
        Assert.Contains("Events:", describe.Stdout);
        Assert.Matches($@"Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned kosmos/{name} to kosmos-node-1", describe.Stdout);
        Assert.Matches(@"Normal\s+Started\s+\S+\s+kubelet\s+Started container agent", describe.Stdout);
    }

    [Fact]
    public async Task InitContainer_RunsToCompletionBeforeTheAgentStarts()
    {
        var agent = Unique("init");
        var name = agent + "-0";
        await CreateAsync(AgentPod(name, agent, spec: new JsonObject
        {
            ["initContainers"] = new JsonArray(new JsonObject { ["name"] = "restore-state", ["image"] = "busybox:1.36", ["command"] = new JsonArray("sh", "-c", "sleep 3") }),
        }));

        var pod = await WaitForAsync(name, p => Condition(p, "Ready", "True"), "Ready");

        var init = Assert.Single(pod.Status.InitContainerStatuses);
        Assert.Equal("restore-state", init.Name);
        Assert.Equal(0, init.State.Terminated.ExitCode);
        Assert.Equal("Completed", init.State.Terminated.Reason);
        Assert.True(Condition(pod, "Initialized", "True"));
        Assert.True(init.State.Terminated.FinishedAt <= Agent(pod).State.Running.StartedAt);
    }

    [Fact]
    public async Task Logs_OfARunningAgent_HaveItsBannerAndConfig_WithoutSecretValues()
    {
        var agent = Unique("logs");
        var name = agent + "-0";
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = agent + "-credentials" },
            StringData = new Dictionary<string, string> { ["api-key"] = "sk-very-secret-value" },
        }, Ns);
        await CreateAsync(AgentPod(name, agent, container: new JsonObject
        {
            ["env"] = new JsonArray(
                new JsonObject { ["name"] = "KOSMOS_MODEL_ENDPOINT", ["value"] = "http://model-gateway.kosmos.svc:8000/v1" },
                new JsonObject
                {
                    ["name"] = "KOSMOS_API_KEY",
                    ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = agent + "-credentials", ["key"] = "api-key" } },
                }),
        }));

        var log = await WaitForLogAsync(name, "ready: serving");

        Assert.Contains($"INFO starting kosmos-agent {agent} v1.0.0", log);
        Assert.Contains("KOSMOS_MODEL_ENDPOINT=http://model-gateway.kosmos.svc:8000/v1", log);
        Assert.Contains("KOSMOS_API_KEY=<redacted>", log);
        Assert.DoesNotContain("sk-very-secret-value", log);
    }

    [Fact]
    public async Task RunningContainer_DescribesTheInstanceExecRunsIn()
    {
        var kubelet = Assert.IsType<Kosmos.KubeSim.Runtime.ExecRuntime>(Fixture.Simulator.Runtime).Kubelet;
        var agent = Unique("exec");
        var name = agent + "-0";
        var started = new TaskCompletionSource<Kosmos.KubeSim.Runtime.RunningContainer>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnStarted(Kosmos.KubeSim.Runtime.RunningContainer c)
        {
            if (c.PodName == name)
            {
                started.TrySetResult(c);
            }
        }

        kubelet.ContainerStarted += OnStarted;
        try
        {
            await CreateAsync(AgentPod(name, agent,
                container: new JsonObject { ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "scratch", ["mountPath"] = "/tmp/work" }) },
                spec: new JsonObject { ["volumes"] = new JsonArray(new JsonObject { ["name"] = "scratch", ["emptyDir"] = new JsonObject() }) }));
            var pod = await WaitForAsync(name, p => Agent(p).State?.Running is not null, "running");

            var running = kubelet.FindRunningContainer(Ns, name, null);

            Assert.NotNull(running);
            Assert.Same(running, await started.Task.WaitAsync(Timeout));
            Assert.Equal(Agent(pod).ContainerID, running.ContainerId);
            Assert.Equal(agent, running.Agent);
            Assert.True(running.IsAgentContainer);
            Assert.Equal("http://model-gateway.kosmos.svc:8000/v1", running.Environment["KOSMOS_MODEL_ENDPOINT"]);
            var mount = Assert.Single(running.Mounts);
            Assert.Equal(("/tmp/work", "scratch", "emptyDir"), (mount.MountPath, mount.VolumeName, mount.SourceKind));
            Assert.Equal($"python -m kosmos.agent --name {agent}", running.MainProcessCommandLine);
            running.WriteLog("INFO", "imported 3 conversations", DateTimeOffset.UtcNow);
            Assert.Contains("INFO imported 3 conversations", await LogAsync(name));
        }
        finally
        {
            kubelet.ContainerStarted -= OnStarted;
        }
    }

    [Fact]
    public async Task LogsPrevious_OfAContainerThatNeverTerminated_IsTheServersBadRequest()
    {
        var agent = Unique("noprev");
        var name = agent + "-0";
        await CreateAsync(AgentPod(name, agent));
        await WaitForAsync(name, p => Agent(p).State?.Running is not null, "running");

        var result = await Kubectl.RunAsync("logs", name, "-n", Ns, "--previous");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Error from server (BadRequest): previous terminated container \"agent\" in pod \"{name}\" not found", result.Stderr);
    }

    [Fact]
    public async Task LogsFollow_StreamsLinesWrittenAfterItStarted()
    {
        var agent = Unique("follow");
        var name = agent + "-0";
        await SetBehaviourAsync(agent, """{"role":"planner","startupSeconds":0,"workIntervalSeconds":6}""");
        await CreateAsync(AgentPod(name, agent));
        var before = await WaitForLogAsync(name, "ready: serving");
        var planLinesBefore = Regex.Count(before, "plan p-");

        using var follow = Kubectl.Start("logs", "-f", name, "-n", Ns);
        try
        {
            var lines = new List<string>();
            async Task ReadPlanLinesAsync()
            {
                while (lines.Count(l => l.Contains("plan p-", StringComparison.Ordinal)) < planLinesBefore + 3)
                {
                    var line = await follow.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("kubectl logs -f ended: " + await follow.StandardError.ReadToEndAsync());
                    lines.Add(line);
                }
            }

            await SimulatedTime.While(Clock, Step, ReadPlanLinesAsync(), "three more plan lines through kubectl logs -f");

            Assert.Contains(lines, l => l.Contains($"starting kosmos-agent {agent}", StringComparison.Ordinal));
            Assert.False(follow.HasExited);
        }
        finally
        {
            follow.Kill();
            await follow.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task KubectlDelete_OfARunningPod_ShowsTerminatingThenReturnsOnceThePodIsGone()
    {
        var agent = Unique("delete");
        var name = agent + "-0";

        // A shell as PID 1 ignores SIGTERM: the pod stays Terminating for its whole grace period (120 simulated seconds).
        await CreateAsync(AgentPod(name, agent, image: "busybox:1.36",
            container: new JsonObject { ["command"] = new JsonArray("sh", "-c", "sleep 3600") },
            spec: new JsonObject { ["terminationGracePeriodSeconds"] = 120 }));
        await WaitForAsync(name, p => Agent(p).State?.Running is not null, "running");

        var delete = Kubectl.RunAsync("delete", "pod", name, "-n", Ns);
        // The clock stands still until the pod shows Terminating, so the grace period cannot run out before kubectl looks.
        var terminating = await Eventually.Until(() => Kubectl.RunAsync("get", "pod", name, "-n", Ns), r => r.Stdout.Contains("Terminating", StringComparison.Ordinal) || r.ExitCode != 0,
            Timeout, "Terminating");
        var deleted = await SimulatedTime.While(Clock, Step, delete, "kubectl delete to return once the grace period is over");

        Assert.Contains("Terminating", terminating.Stdout);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Contains($"pod \"{name}\" deleted", deleted.Stdout);
        Assert.True(await IsGoneAsync(name));
        var events = await EventsAsync(name);
        Assert.Contains(events, e => e.Reason == "Killing" && e.Message == "Stopping container agent");
    }

    [Fact]
    public async Task DeletingAHealthyAgent_LetsItShutDownGracefully()
    {
        var agent = Unique("graceful");
        var name = agent + "-0";
        await CreateAsync(AgentPod(name, agent));
        var ready = await WaitForAsync(name, p => Condition(p, "Ready", "True"), "Ready");

        await Client.CoreV1.DeleteNamespacedPodAsync(name, Ns);

        V1Pod? lastSeen = null;
        using var cts = new CancellationTokenSource(SimulatedTime.DefaultPatience);
        async Task WatchUntilDeletedAsync()
        {
            await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync(Ns, fieldSelector: $"metadata.name={name}",
                resourceVersion: ready.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                if (type == WatchEventType.Deleted)
                {
                    break;
                }

                lastSeen = pod;
            }
        }

        await SimulatedTime.While(Clock, Step, WatchUntilDeletedAsync(), "the pod's deletion");

        Assert.NotNull(lastSeen?.Metadata.DeletionTimestamp);
        var terminated = Agent(lastSeen!).State.Terminated;
        Assert.NotNull(terminated);
        Assert.Equal(0, terminated.ExitCode);
        Assert.Equal("Completed", terminated.Reason);
        Assert.True(await IsGoneAsync(name));
    }
}
