using Kosmos.Recovery.Model;
using Kosmos.Recovery.Status;
using Kosmos.Recovery.Tests.Builders;
using static Kosmos.Recovery.Tests.Builders.Containers;
using static Kosmos.Recovery.Tests.Builders.PodBuilder;

namespace Kosmos.Recovery.Tests.Status;

public sealed class PodStatusFormatterTests
{
    // The expected values are what kubectl 1.32 prints for the same pod status.
    public static TheoryData<StatusCase> StatusCases => new()
    {
        // Phase and pod-level reason
        new StatusCase("no status yet", Pod().Phase(PodPhase.Pending).Container(Spec("agent")).Build(), "Pending", "0/1"),
        new StatusCase("running and ready", Pod().Container(Running("agent")).Ready().Build(), "Running", "1/1"),
        new StatusCase("running, readiness failing", Pod().Container(Running("agent", ready: false)).Ready(false).Build(), "Running", "0/1"),
        new StatusCase("unknown phase, ready container", Pod().Phase(PodPhase.Unknown).Container(Running("agent")).Build(), "Unknown", "1/1"),
        new StatusCase("evicted without container statuses",
            Pod().Phase(PodPhase.Failed).Reason("Evicted", "The node was low on resource: memory.").Container(Spec("agent")).Build(),
            "Evicted", "0/1"),
        // kubectl lets a container's terminated reason overwrite the pod's reason.
        new StatusCase("evicted, container terminated with a reason",
            Pod().Phase(PodPhase.Failed).Reason("Evicted").Container(Terminated("agent", "Error", 137)).Build(),
            "Error", "0/1"),
        new StatusCase("scheduling gated",
            Pod().Phase(PodPhase.Pending).Condition(ConditionTypes.PodScheduled, ConditionStatus.False, "SchedulingGated")
                .Container(Spec("agent")).Build(),
            "SchedulingGated", "0/1"),
        new StatusCase("unschedulable stays Pending",
            Pod().Unschedulable("0/3 nodes are available: 3 Insufficient cpu.").Container(Spec("agent")).Build(),
            "Pending", "0/1"),

        // Regular containers: waiting and terminated reasons
        new StatusCase("container creating", Pod().Phase(PodPhase.Pending).Container(Waiting("agent", "ContainerCreating")).Build(), "ContainerCreating", "0/1"),
        new StatusCase("crash loop",
            Pod().Container(Waiting("agent", "CrashLoopBackOff", "back-off 40s").WithRestarts(3).WithLastTermination("Error", 1, Clock.T0)).Build(),
            "CrashLoopBackOff", "0/1"),
        new StatusCase("image pull back-off", Pod().Phase(PodPhase.Pending).Container(Waiting("agent", "ImagePullBackOff")).Build(), "ImagePullBackOff", "0/1"),
        new StatusCase("err image pull", Pod().Phase(PodPhase.Pending).Container(Waiting("agent", "ErrImagePull")).Build(), "ErrImagePull", "0/1"),
        new StatusCase("config error", Pod().Phase(PodPhase.Pending).Container(Waiting("agent", "CreateContainerConfigError")).Build(), "CreateContainerConfigError", "0/1"),
        new StatusCase("waiting without reason keeps phase", Pod().Phase(PodPhase.Pending).Container(Waiting("agent", null)).Build(), "Pending", "0/1"),
        new StatusCase("terminated Error", Pod().Container(Terminated("agent", "Error", 1)).Build(), "Error", "0/1"),
        new StatusCase("terminated OOMKilled", Pod().Container(Terminated("agent", "OOMKilled", 137)).Build(), "OOMKilled", "0/1"),
        new StatusCase("terminated by signal, no reason", Pod().Container(Terminated("agent", null, 0, signal: 9)).Build(), "Signal:9", "0/1"),
        new StatusCase("terminated with exit code, no reason", Pod().Container(Terminated("agent", "", 2)).Build(), "ExitCode:2", "0/1"),
        new StatusCase("succeeded", Pod().Phase(PodPhase.Succeeded).Container(Terminated("job", "Completed", 0)).Build(), "Completed", "0/1"),

        // Init containers
        new StatusCase("first init container running",
            Pod().Phase(PodPhase.Pending).Init(Running("migrate", ready: false)).Init(Waiting("warm", "PodInitializing"))
                .Container(Waiting("agent", "PodInitializing")).Build(),
            "Init:0/2", "0/1"),
        new StatusCase("second init container running",
            Pod().Phase(PodPhase.Pending).Init(Completed("migrate")).Init(Running("warm", ready: false))
                .Container(Waiting("agent", "PodInitializing")).Build(),
            "Init:1/2", "0/1"),
        new StatusCase("init waiting PodInitializing counts as not started",
            Pod().Phase(PodPhase.Pending).Init(Waiting("migrate", "PodInitializing")).Container(Waiting("agent", "PodInitializing")).Build(),
            "Init:0/1", "0/1"),
        new StatusCase("init crash loop",
            Pod().Phase(PodPhase.Pending).Init(Waiting("migrate", "CrashLoopBackOff").WithRestarts(4)).Container(Waiting("agent", "PodInitializing")).Build(),
            "Init:CrashLoopBackOff", "0/1"),
        new StatusCase("init image pull",
            Pod().Phase(PodPhase.Pending).Init(Waiting("migrate", "ImagePullBackOff")).Container(Waiting("agent", "PodInitializing")).Build(),
            "Init:ImagePullBackOff", "0/1"),
        new StatusCase("init terminated Error",
            Pod().Phase(PodPhase.Pending).Init(Terminated("migrate", "Error", 1)).Container(Waiting("agent", "PodInitializing")).Build(),
            "Init:Error", "0/1"),
        new StatusCase("init terminated, exit code only",
            Pod().Phase(PodPhase.Pending).Init(Terminated("migrate", null, 3)).Container(Waiting("agent", "PodInitializing")).Build(),
            "Init:ExitCode:3", "0/1"),
        new StatusCase("init terminated by signal",
            Pod().Phase(PodPhase.Pending).Init(Terminated("migrate", null, 143, signal: 15)).Container(Waiting("agent", "PodInitializing")).Build(),
            "Init:Signal:15", "0/1"),
        new StatusCase("init done, main container still initializing",
            Pod().Phase(PodPhase.Pending).Init(Completed("migrate")).Container(Waiting("agent", "PodInitializing"))
                .Condition(ConditionTypes.Initialized, ConditionStatus.True).Build(),
            "PodInitializing", "0/1"),
        new StatusCase("init done, running",
            Pod().Init(Completed("migrate")).Container(Running("agent")).Ready().Build(),
            "Running", "1/1"),
        // kubectl still walks the containers, but a ready running one never overwrites the reason.
        new StatusCase("init failed yet pod Initialized: kubectl keeps the init reason",
            Pod().Init(Terminated("migrate", "Error", 1)).Container(Running("agent")).Ready()
                .Condition(ConditionTypes.Initialized, ConditionStatus.True).Build(),
            "Init:Error", "1/1"),
        new StatusCase("init exited 0 despite a signal counts as done",
            Pod().Init(Terminated("migrate", null, 0, signal: 15)).Container(Running("agent")).Ready().Build(),
            "Running", "1/1"),

        // Sidecars (init containers with restartPolicy Always) count towards READY
        new StatusCase("sidecar started and ready with main running",
            Pod().Init(Running("proxy").AsSidecar()).Container(Running("agent")).Ready().Build(),
            "Running", "2/2"),
        new StatusCase("sidecar started but not ready",
            Pod().Init(Running("proxy", ready: false).AsSidecar()).Container(Running("agent")).Build(),
            "Running", "1/2"),
        new StatusCase("sidecar not started yet blocks init",
            Pod().Phase(PodPhase.Pending).Init(Running("proxy", ready: false).AsSidecar() with { Started = false })
                .Container(Waiting("agent", "PodInitializing")).Build(),
            "Init:0/1", "0/2"),

        // Several containers
        new StatusCase("one of two crash looping",
            Pod().Container(Running("agent")).Container(Waiting("tools", "CrashLoopBackOff")).Build(),
            "CrashLoopBackOff", "1/2"),
        new StatusCase("first container in status order wins",
            Pod().Container(Waiting("agent", "CrashLoopBackOff")).Container(Terminated("tools", "Error", 1)).Build(),
            "CrashLoopBackOff", "0/2"),
        new StatusCase("status order, not spec order, decides",
            Pod().Container(Waiting("agent", "CrashLoopBackOff")).Container(Terminated("tools", "Error", 1))
                .StatusOrder("tools", "agent").Build(),
            "Error", "0/2"),
        new StatusCase("completed helper next to a ready container, pod Ready",
            Pod().Container(Terminated("helper", "Completed", 0)).Container(Running("agent")).Ready().Build(),
            "Running", "1/2"),
        new StatusCase("completed helper next to a ready container, pod not Ready",
            Pod().Container(Terminated("helper", "Completed", 0)).Container(Running("agent")).Ready(false).Build(),
            "NotReady", "1/2"),
        new StatusCase("completed helper next to a container that is not ready",
            Pod().Container(Terminated("helper", "Completed", 0)).Container(Running("agent", ready: false)).Build(),
            "Completed", "0/2"),
        new StatusCase("container without status yet next to a running one",
            Pod().Container(Running("agent")).Container(Spec("tools")).Build(),
            "Running", "1/2"),

        // Deletion
        new StatusCase("terminating", Pod().Container(Running("agent")).Ready().DeletedAt(Clock.At(1)).Build(), "Terminating", "1/1"),
        new StatusCase("terminating while crash looping",
            Pod().Container(Waiting("agent", "CrashLoopBackOff")).DeletedAt(Clock.At(1)).Build(),
            "Terminating", "0/1"),
        new StatusCase("deleted on a lost node",
            Pod().Reason("NodeLost").Container(Running("agent")).DeletedAt(Clock.At(1)).Build(),
            "Unknown", "1/1"),
        new StatusCase("deleted after it succeeded keeps Completed",
            Pod().Phase(PodPhase.Succeeded).Container(Terminated("job", "Completed", 0)).DeletedAt(Clock.At(1)).Build(),
            "Completed", "0/1"),
        new StatusCase("deleted after it failed keeps Error",
            Pod().Phase(PodPhase.Failed).Container(Terminated("job", "Error", 1)).DeletedAt(Clock.At(1)).Build(),
            "Error", "0/1"),
    };

    [Theory]
    [MemberData(nameof(StatusCases))]
    public void Summarize_PodInState_MatchesKubectlStatusAndReady(StatusCase @case)
    {
        var summary = PodStatusFormatter.Summarize(@case.Pod);

        Assert.Equal((@case.Status, @case.Ready), (summary.Status, summary.Ready));
    }

    public static TheoryData<RestartCase> RestartCases => new()
    {
        new RestartCase("no restarts", Pod().Container(Running("agent")).Build(), "0"),
        new RestartCase("restarts with a known last termination",
            Pod().Container(Waiting("agent", "CrashLoopBackOff").WithRestarts(3).WithLastTermination("Error", 1, Clock.At(5))).Build(),
            "3 (5m ago)"),
        new RestartCase("restarts without a finish time",
            Pod().Container(Running("agent").WithRestarts(2) with { LastState = new ContainerState.Terminated("Error", null, 1) }).Build(),
            "2"),
        new RestartCase("restarts summed over containers, latest termination shown",
            Pod().Container(Running("agent").WithRestarts(2).WithLastTermination("Error", 1, Clock.At(1)))
                .Container(Running("tools").WithRestarts(5).WithLastTermination("OOMKilled", 137, Clock.At(9, 30)))
                .Build(),
            "7 (30s ago)"),
        new RestartCase("while initialising only init restarts count",
            Pod().Phase(PodPhase.Pending)
                .Init(Waiting("migrate", "CrashLoopBackOff").WithRestarts(4).WithLastTermination("Error", 1, Clock.At(8)))
                .Container(Waiting("agent", "PodInitializing").WithRestarts(1)).Build(),
            "4 (2m ago)"),
        new RestartCase("after init, completed init restarts no longer count but sidecar restarts do",
            Pod().Init(Completed("migrate").WithRestarts(2)).Init(Running("proxy").AsSidecar().WithRestarts(1).WithLastTermination("Error", 1, Clock.At(7)))
                .Container(Running("agent").WithRestarts(1).WithLastTermination("Error", 1, Clock.At(2))).Build(),
            "2 (3m ago)"),
        new RestartCase("hours-old restart",
            Pod().Container(Running("agent").WithRestarts(1).WithLastTermination("Error", 1, Clock.At(-170))).Build(),
            "1 (3h ago)"),
    };

    [Theory]
    [MemberData(nameof(RestartCases))]
    public void Restarts_GivenNow_MatchesKubectlRestartsColumn(RestartCase @case)
    {
        Assert.Equal(@case.Restarts, PodStatusFormatter.Restarts(@case.Pod, now: Clock.At(10)));
    }

    /// <summary>A row of the STATUS table; prints as its name so the runner lists cases readably.</summary>
    public sealed record StatusCase(string Name, PodSnapshot Pod, string Status, string Ready)
    {
        public override string ToString() => Name;
    }

    public sealed record RestartCase(string Name, PodSnapshot Pod, string Restarts)
    {
        public override string ToString() => Name;
    }

    [Fact]
    public void Summarize_RestartsAndLastRestart_AreExposedAsValues()
    {
        var pod = Pod().Container(Waiting("agent", "CrashLoopBackOff").WithRestarts(3).WithLastTermination("Error", 1, Clock.At(5))).Build();

        var summary = PodStatusFormatter.Summarize(pod);

        Assert.Equal(3, summary.Restarts);
        Assert.Equal(Clock.At(5), summary.LastRestartAt);
    }

    [Fact]
    public void LastTermination_CurrentAndPreviousStates_PicksTheLatestFinish()
    {
        var pod = Pod()
            .Container(Running("agent").WithRestarts(2).WithLastTermination("OOMKilled", 137, Clock.At(4)))
            .Container(Terminated("tools", "Error", 2, finishedAt: Clock.At(3)))
            .Build();

        var last = PodStatusFormatter.LastTermination(pod);

        Assert.NotNull(last);
        Assert.Equal("agent", last.ContainerName);
        Assert.Equal("OOMKilled", last.Reason);
        Assert.Equal(137, last.ExitCode);
        Assert.Equal(Clock.At(4), last.FinishedAt);
        Assert.False(last.IsCurrentState);
        Assert.True(last.IsOomKilled);
        Assert.Equal("OOMKilled, exit code 137, 6m ago", last.Describe(Clock.At(10)));
    }

    [Fact]
    public void LastTermination_InitContainerFailedLast_ReportsInitContainer()
    {
        var pod = Pod().Phase(PodPhase.Pending)
            .Init(Terminated("migrate", null, 0, signal: 9, finishedAt: Clock.At(2)))
            .Container(Waiting("agent", "PodInitializing"))
            .Build();

        var last = PodStatusFormatter.LastTermination(pod);

        Assert.NotNull(last);
        Assert.True(last.IsInitContainer);
        Assert.True(last.IsCurrentState);
        Assert.Equal("Terminated, exit code 0, signal 9, 8m ago", last.Describe(Clock.At(10)));
    }

    [Fact]
    public void LastTermination_NothingTerminated_IsNull()
    {
        var pod = Pod().Container(Running("agent")).Build();

        Assert.Null(PodStatusFormatter.LastTermination(pod));
    }

    [Fact]
    public void Age_WithAndWithoutCreationTime_FormatsLikeKubectl()
    {
        var pod = Pod().CreatedAt(Clock.At(-62)).Container(Running("agent")).Build();

        Assert.Equal("62m", PodStatusFormatter.Age(pod, Clock.T0));
        Assert.Equal("<unknown>", PodStatusFormatter.Age(pod with { CreationTimestamp = null }, Clock.T0));
    }
}
