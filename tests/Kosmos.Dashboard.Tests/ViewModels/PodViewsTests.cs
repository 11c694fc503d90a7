using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.Tests.ViewModels;

public sealed class PodViewsTests
{
    [Fact]
    public void PodRow_OomPod_KubectlColumnsAndAttention()
    {
        var row = PodRow.From(TestData.OomPod(), TestData.Now);

        Assert.Equal(
            new PodRow("memory-agent-7f9c6-abcde", "CrashLoopBackOff", "0/1", "5 (2m ago)", "30m", "node-1", "agent: OOMKilled, exit code 137, 2m ago", true),
            row);
    }

    [Fact]
    public void PodRow_HealthyPod_NoAttention()
    {
        var row = PodRow.From(TestData.HealthyPod("p", "a"), TestData.Now);

        Assert.Equal(("Running", "1/1", "0", false), (row.Status, row.Ready, row.Restarts, row.NeedsAttention));
    }

    public static TheoryData<string, EnvVarSnapshot, string, bool> EnvRows => new()
    {
        { "literal", EnvVarSnapshot.Literal("LOG_LEVEL", "debug"), "debug", false },
        { "secret", EnvVarSnapshot.FromSecret("KEY", "kosmos-llm", "api-key"), "from secret kosmos-llm/api-key", true },
        { "optional configmap", EnvVarSnapshot.FromConfigMap("MODEL", "agent-config", "model", optional: true), "from configmap agent-config/model (optional)", true },
        { "field", EnvVarSnapshot.FromField("POD", "metadata.name"), "from field metadata.name", true },
    };

    [Theory]
    [MemberData(nameof(EnvRows))]
    public void EnvRow_Source_ValueOrReference(string what, EnvVarSnapshot env, string value, bool isReference)
    {
        _ = what;
        Assert.Equal((value, isReference), (EnvRow.From(env).Value, EnvRow.From(env).IsReference));
    }

    public static TheoryData<int, int, int, string> EventAges => new()
    {
        { 1, 5, 5, "5m" },
        { 12, 20, 1, "60s (x12 over 20m)" },
        { 3, 240, 180, "3h (x3 over 4h)" },
    };

    [Theory]
    [MemberData(nameof(EventAges))]
    public void AgeText_Event_LikeKubectl(int count, int firstMinutesAgo, int lastMinutesAgo, string expected)
    {
        var e = TestData.PodEvent(TestData.OomPod(), "Warning", "BackOff", "m", count, TestData.Now.AddMinutes(-firstMinutesAgo), TestData.Now.AddMinutes(-lastMinutesAgo));

        Assert.Equal(expected, EventRow.AgeText(e, TestData.Now));
    }

    [Fact]
    public void ForPod_EventsOfSeveralObjects_OnlyThisPodsNewestFirst()
    {
        var pod = TestData.OomPod();
        var other = TestData.OomPod("other-pod");
        EventSnapshot[] events =
        [
            TestData.PodEvent(pod, "Normal", "Old", "m", 1, TestData.Now.AddHours(-1), TestData.Now.AddHours(-1)),
            TestData.PodEvent(other, "Warning", "Other", "m", 1, TestData.Now, TestData.Now),
            TestData.PodEvent(pod, "Warning", "New", "m", 1, TestData.Now.AddMinutes(-1), TestData.Now.AddMinutes(-1)),
        ];

        Assert.Equal(["New", "Old"], EventRow.ForPod(pod, events, TestData.Now).Select(e => e.Reason));
    }

    [Fact]
    public void Describe_OomPod_ContainerStatesLimitsProbesAndMounts()
    {
        var detail = TestData.OomDetail();

        var d = PodDescription.From(detail.Pods[0], detail.Events, detail.Claims, TestData.Now);

        var c = Assert.Single(d.Containers);
        Assert.Equal("Terminated: OOMKilled, exit code 137", c.LastState!.Headline);
        Assert.Equal("Waiting: CrashLoopBackOff", c.State!.Headline);
        Assert.Equal("memory=512Mi", c.Limits);
        Assert.Equal(["Liveness", "Readiness"], c.Probes.Select(p => p.Kind));
        Assert.Equal(["/var/lib/agent from state (rw)"], c.Mounts);
        Assert.Equal("8080/TCP (http)", c.Ports);
        Assert.Contains(d.Fields, f => f is { Label: "Status", Value: "CrashLoopBackOff" });
    }

    [Fact]
    public void Resolve_ChosenPodGone_FallsBackToAffectedPod()
    {
        var detail = TestData.OomDetail();
        detail = detail with { Pods = [TestData.HealthyPod("aaa-healthy", "memory-agent"), .. detail.Pods] };

        Assert.Equal("memory-agent-7f9c6-abcde", PodSelection.Resolve(detail, "vanished"));
        Assert.Equal("aaa-healthy", PodSelection.Resolve(detail, "aaa-healthy"));
        Assert.Null(PodSelection.Resolve(detail with { Pods = [] }, null));
    }

    [Fact]
    public void DefaultPrevious_RestartedContainer_TrueElseFalse()
    {
        Assert.True(PodSelection.DefaultPrevious(TestData.OomPod(), "agent"));
        Assert.False(PodSelection.DefaultPrevious(TestData.HealthyPod("p", "a"), "agent"));
        Assert.False(PodSelection.DefaultPrevious(TestData.OomPod(), null));
    }

    [Fact]
    public void NoPreviousRun_ByContainerHistory_PlainWordsOrNull()
    {
        Assert.Null(PodSelection.NoPreviousRun(TestData.OomPod(), "agent"));
        Assert.Equal("No previous run: container agent of pod p has not crashed or restarted, so there is only the current run.",
            PodSelection.NoPreviousRun(TestData.HealthyPod("p", "a"), "agent"));
        Assert.Equal("Container sidecar is not in pod p: there is no run of it to show.", PodSelection.NoPreviousRun(TestData.HealthyPod("p", "a"), "sidecar"));
    }

    [Fact]
    public void Storage_ClaimsAndSnapshots_GroupedNewestFirstOrphansApart()
    {
        var detail = TestData.OomDetail();
        var orphan = detail.VolumeSnapshots[0] with { Name = "old-claim-snap", SourcePvcName = "old-claim" };

        var view = StorageView.From(detail.Claims, [.. detail.VolumeSnapshots, orphan], TestData.Now);

        var claim = Assert.Single(view.Claims);
        Assert.Equal(["memory-agent-state-20251213-0955", "memory-agent-state-20251213-0900"], claim.Snapshots.Select(s => s.Name));
        Assert.Equal([false, true], claim.Snapshots.Select(s => s.CanRestore));
        Assert.Equal(["old-claim-snap"], view.OrphanSnapshots.Select(s => s.Name));
    }

    public static TheoryData<bool?, bool, string> SnapshotReadiness => new()
    {
        { true, false, "ready" },
        { false, false, "not ready" },
        { null, false, "not reported yet" },
        { true, true, "deleting" },
    };

    [Theory]
    [MemberData(nameof(SnapshotReadiness))]
    public void Storage_SnapshotState_Worded(bool? ready, bool deleting, string expected)
    {
        var snapshot = new VolumeSnapshotSnapshot
        {
            Namespace = "kosmos",
            Name = "s",
            SourcePvcName = "c",
            ReadyToUse = ready,
            DeletionTimestamp = deleting ? TestData.Now : null,
        };

        Assert.Equal(expected, StorageView.From([], [snapshot], TestData.Now).OrphanSnapshots[0].Ready);
    }

    [Fact]
    public void Detail_AgentWithoutPods_DescribeHasNothingButDoesNotThrow()
    {
        var detail = new AgentDetail(TestData.Agent("x"), null, [], [], [], [], []);

        Assert.Null(PodSelection.Resolve(detail, null));
    }
}
