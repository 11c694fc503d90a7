using System.Text.Json.Nodes;
using Kosmos.KubeSim.Runtime;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Tests.Runtime;

/// <summary>
/// The kubelet's status logic without a kubelet: phase, conditions and container statuses from containers' states,
/// table-driven, and checked against pods as real clusters reported them (tests/Kosmos.Cluster.Tests/Fixtures/real-pods).
/// </summary>
public class PodStatusBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = T0.AddMinutes(5);

    public static TheoryData<string, string> Phases => new()
    {
        { "all-running", "Running" },
        { "one-creating-one-running", "Pending" },
        { "image-pull-backoff", "Pending" },
        { "always-just-exited-1", "Running" },
        { "always-crashloop-waiting", "Running" },
        { "never-exited-1", "Failed" },
        { "never-exited-0", "Succeeded" },
        { "onfailure-exited-0", "Succeeded" },
        { "onfailure-exited-1", "Running" },
        { "never-one-ok-one-failed", "Failed" },
        { "init-failed-never", "Failed" },
        { "init-failed-always", "Pending" },
        { "init-running", "Pending" },
        { "finalized-all-0", "Succeeded" },
        { "finalized-killed", "Failed" },
    };

    [Theory]
    [MemberData(nameof(Phases))]
    public void Phase_ContainerStates_IsTheKubeletsPhase(string situation, string expected) =>
        Assert.Equal(expected, PodStatusBuilder.Phase(Situation(situation)));

    [Theory]
    [MemberData(nameof(Phases))]
    public void Build_AnySituation_WritesThePhaseAndOneStatusPerContainer(string situation, string expected)
    {
        var pod = Situation(situation);

        var status = PodStatusBuilder.Build(pod, previousConditions: null, Now);

        Assert.Equal(expected, JsonValues.String(status["phase"]));
        Assert.Equal(pod.Containers.Select(c => c.Name), Statuses(status, "containerStatuses").Select(s => JsonValues.String(s["name"])));
        Assert.Equal(pod.InitContainers.Count > 0, status["initContainerStatuses"] is not null);
    }

    public static TheoryData<string> RealPods => ["01-nginx-running-healthy", "02-crashloop-exit1", "04-failed-restartnever-error",
        "05-imagepullbackoff", "06-readiness-failing-liveness-ok", "08-completed"];

    /// <summary>
    /// The same situation as each real pod, described as the kubelet knows it, gives what the real kubelet wrote: phase,
    /// every condition the real pod has (status, reason, message) and the container's state, lastState, ready, restarts.
    /// </summary>
    [Theory]
    [MemberData(nameof(RealPods))]
    public void Build_RealPodSituation_MatchesWhatARealKubeletWrote(string name)
    {
        var real = JsonNode.Parse(File.ReadAllText(RealPodPath(name)))!["status"]!.AsObject();

        var ours = PodStatusBuilder.Build(RealPodSituation(name), previousConditions: null, Now);

        Assert.Equal(JsonValues.String(real["phase"]), JsonValues.String(ours["phase"]));
        foreach (var condition in Statuses(real, "conditions").Where(c => JsonValues.String(c["type"]) != "PodScheduled"))
        {
            var type = JsonValues.String(condition["type"]);
            var mine = Assert.Single(Statuses(ours, "conditions"), c => JsonValues.String(c["type"]) == type);
            Assert.Equal((type, Field(condition, "status"), Field(condition, "reason"), Field(condition, "message")),
                (type, Field(mine, "status"), Field(mine, "reason"), Field(mine, "message")));
        }

        var realContainer = Statuses(real, "containerStatuses").Single();
        var ourContainer = Statuses(ours, "containerStatuses").Single();
        // Old kubelets (2018, 2019) wrote no "started": compare it where the real pod has it.
        var withStarted = realContainer["started"] is not null;
        Assert.Equal(Shape(realContainer, withStarted), Shape(ourContainer, withStarted));
    }

    [Fact]
    public void Build_ConditionUnchanged_KeepsItsTransitionTime_FlippedConditionMoves()
    {
        var starting = Pod([Container("agent", current: Run(T0))]);
        var first = PodStatusBuilder.Build(starting, previousConditions: null, T0);
        var ready = starting with { Containers = [Container("agent", current: Run(T0), ready: true, started: true)] };

        var second = PodStatusBuilder.Build(ready, (JsonArray)first["conditions"]!, Now);

        Assert.Equal(ObjectStore.Timestamp(T0), TransitionTime(second, "Initialized"));
        Assert.Equal(ObjectStore.Timestamp(Now), TransitionTime(second, "Ready"));
        Assert.Equal(ObjectStore.Timestamp(Now), TransitionTime(second, "ContainersReady"));
        Assert.Equal("2026-12-06T02:59:59Z", TransitionTime(second, "PodScheduled"));
    }

    [Fact]
    public void Build_InitContainerFailed_NamesItInTheInitializedCondition()
    {
        var pod = Situation("init-failed-always");

        var status = PodStatusBuilder.Build(pod, previousConditions: null, Now);

        var initialized = Statuses(status, "conditions").Single(c => JsonValues.String(c["type"]) == "Initialized");
        Assert.Equal(("False", "ContainersNotInitialized", "containers with incomplete status: [migrate]"),
            (Field(initialized, "status"), Field(initialized, "reason"), Field(initialized, "message")));
        var init = Statuses(status, "initContainerStatuses").Single();
        Assert.Equal("CrashLoopBackOff", JsonValues.String(init["state"]?["waiting"]?["reason"]));
        Assert.Equal(1, JsonValues.Long(init["lastState"]?["terminated"]?["exitCode"]));
    }

    [Fact]
    public void Build_FinalizedPod_IsNeitherReadyNorReadyToStartContainers()
    {
        var status = PodStatusBuilder.Build(Situation("finalized-killed"), previousConditions: null, Now);

        Assert.All(Statuses(status, "conditions").Where(c => JsonValues.String(c["type"]) is "Ready" or "ContainersReady" or "PodReadyToStartContainers"),
            c => Assert.Equal("False", JsonValues.String(c["status"])));
    }

    private static PodView Situation(string name) => name switch
    {
        "all-running" => Pod([Container("agent", current: Run(T0), ready: true, started: true), Container("sidecar", current: Run(T0), ready: true, started: true)]),
        "one-creating-one-running" => Pod([Container("agent"), Container("sidecar", current: Run(T0), started: true)]),
        "image-pull-backoff" => Pod([Container("agent", waiting: "ImagePullBackOff")]),
        "always-just-exited-1" => Pod([Container("agent", current: Run(T0, exit: 1))]),
        "always-crashloop-waiting" => Pod([Container("agent", last: Run(T0, exit: 1), waiting: "CrashLoopBackOff", restarts: 3)]),
        "never-exited-1" => Pod([Container("agent", current: Run(T0, exit: 1))], restartPolicy: "Never"),
        "never-exited-0" => Pod([Container("agent", current: Run(T0, exit: 0))], restartPolicy: "Never"),
        "onfailure-exited-0" => Pod([Container("agent", current: Run(T0, exit: 0))], restartPolicy: "OnFailure"),
        "onfailure-exited-1" => Pod([Container("agent", current: Run(T0, exit: 1))], restartPolicy: "OnFailure"),
        "never-one-ok-one-failed" => Pod([Container("agent", current: Run(T0, exit: 0)), Container("sidecar", current: Run(T0, exit: 2))], restartPolicy: "Never"),
        "init-failed-never" => Pod([Container("agent")], [Container("migrate", current: Run(T0, exit: 1))], restartPolicy: "Never", initialized: false),
        "init-failed-always" => Pod([Container("agent")], [Container("migrate", last: Run(T0, exit: 1), waiting: "CrashLoopBackOff", restarts: 1)], initialized: false),
        "init-running" => Pod([Container("agent")], [Container("migrate", current: Run(T0))], initialized: false),
        "finalized-all-0" => Pod([Container("agent", current: Run(T0, exit: 0))], finalized: true),
        "finalized-killed" => Pod([Container("agent", current: Run(T0, exit: 137, reason: "Error"))], finalized: true),
        _ => throw new ArgumentException(name),
    };

    // Each real pod's situation as the kubelet would know it (names and messages from the real object).
    private static PodView RealPodSituation(string name) => name switch
    {
        "01-nginx-running-healthy" => Pod([Container("nginx", current: Run(T0), ready: true, started: true)]),
        "02-crashloop-exit1" => Pod([Container("main", last: Run(T0, exit: 1), waiting: "CrashLoopBackOff",
            waitingMessage: "Back-off 40s restarting failed container=main pod=my-pod_argocd(63674389-f613-11e8-a057-fe5f49266390)", restarts: 3)]),
        "04-failed-restartnever-error" => Pod([Container("main", current: Run(T0, exit: 1))], restartPolicy: "Never"),
        "05-imagepullbackoff" => Pod([Container("errimagepullbackoff", waiting: "ImagePullBackOff",
            waitingMessage: "Back-off pulling image \"gcr.io/heptio-images/ks-guestbook-demo:0.3\"")]),
        "06-readiness-failing-liveness-ok" => Pod([Container("slow-container", current: Run(T0), started: true)]),
        "08-completed" => Pod([Container("main", current: Run(T0, exit: 0, reason: "Completed"))], restartPolicy: "Never"),
        _ => throw new ArgumentException(name),
    };

    private static PodView Pod(IReadOnlyList<ContainerView> containers, IReadOnlyList<ContainerView>? init = null, string restartPolicy = "Always",
        bool initialized = true, bool finalized = false) =>
        new(containers, init ?? [], restartPolicy, "BestEffort", "10.0.0.10", T0, "2026-12-06T02:59:59Z", "10.244.0.2",
            SandboxReady: true, Initialized: initialized, Finalized: finalized);

    private static ContainerView Container(string name, ContainerRun? current = null, ContainerRun? last = null, string waiting = "ContainerCreating",
        string? waitingMessage = null, int restarts = 0, bool ready = false, bool started = false) =>
        new(name, "ghcr.io/kosmos/agent:1.0", null, current, last, waiting, waitingMessage, restarts, ready, started);

    private static ContainerRun Run(DateTimeOffset startedAt, int? exit = null, string? reason = null) =>
        new("containerd://" + new string('a', 64), startedAt, exit is null ? null : startedAt.AddSeconds(10),
            exit is { } code ? new ProcessExit(code, reason ?? (code == 0 ? "Completed" : "Error")) : null);

    // What must agree with a real kubelet: which state, why, how it ended, readiness, restarts (ids and times differ).
    private static string Shape(JsonObject container, bool withStarted)
    {
        var state = container["state"]!.AsObject().Single();
        var last = container["lastState"]?.AsObject().SingleOrDefault();
        return string.Join(" | ",
            $"state={state.Key}", $"reason={Field(state.Value!.AsObject(), "reason")}", $"message={Field(state.Value!.AsObject(), "message")}",
            $"exit={state.Value?["exitCode"]}", $"last={last?.Key}", $"lastExit={last?.Value?["exitCode"]}", $"lastReason={last?.Value?["reason"]}",
            $"ready={container["ready"]}", $"restarts={container["restartCount"]}", $"started={(withStarted ? Field(container, "started") : "-")}");
    }

    private static string Field(JsonObject o, string name) => o[name]?.ToString() ?? "";

    private static List<JsonObject> Statuses(JsonObject status, string field) => (status[field] as JsonArray ?? []).OfType<JsonObject>().ToList();

    private static string? TransitionTime(JsonObject status, string type) =>
        JsonValues.String(Statuses(status, "conditions").Single(c => JsonValues.String(c["type"]) == type)["lastTransitionTime"]);

    private static string RealPodPath(string name) => Path.Combine(Kosmos.TestSupport.RealPodFiles.Directory, name + ".json");
}
