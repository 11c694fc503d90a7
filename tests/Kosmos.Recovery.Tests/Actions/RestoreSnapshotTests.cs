using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Tests.Builders;

namespace Kosmos.Recovery.Tests.Actions;

/// <summary>Which snapshot restore-snapshot accepts, the restored claim's name, and when the restore has rolled out.</summary>
public sealed class RestoreSnapshotTests
{
    public static TheoryData<string, string[], string?, string?> Requests => new()
    {
        { "ready snapshot of the mounted claim", ["agent-state"], "agent-state-nightly", null },
        { "no claim mounted", [], "agent-state-nightly", "Agent kosmos/agent mounts no PersistentVolumeClaim, so there is no claim to restore a snapshot into." },
        { "no snapshot named", ["agent-state"], null, "Restore snapshot needs the VolumeSnapshot to restore: {\"snapshot\": \"<name>\"} (snapshots of agent-state: agent-state-failed, agent-state-nightly, agent-state-slow)." },
        { "unknown snapshot", ["agent-state"], "nope", "There is no VolumeSnapshot 'nope' of a claim of agent kosmos/agent in namespace kosmos (snapshots of agent-state: agent-state-failed, agent-state-nightly, agent-state-slow)." },
        { "snapshot of another claim", ["agent-state"], "other-nightly", "VolumeSnapshot other-nightly is of claim other-state, which agent kosmos/agent does not mount (it mounts agent-state); only a snapshot of a mounted claim is restored into it." },
        { "not ready yet", ["agent-state"], "agent-state-slow", "VolumeSnapshot agent-state-slow is not ready to use (readyToUse is false); a claim restored from it would stay Pending. Wait until it is readyToUse." },
        { "failed", ["agent-state"], "agent-state-failed", "VolumeSnapshot agent-state-failed is not ready to use (it failed: the PVC is not bound); a claim restored from it would stay Pending. Wait until it is readyToUse." },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Check_Request_ErrorNamesWhatIsWrong(string name, string[] mounted, string? snapshot, string? error)
    {
        var request = snapshot is null ? ActionRequest.None : RestoreSnapshot.Request(snapshot);

        var check = RestoreSnapshot.Check(request, Detail(mounted, [], "agent-state"));

        Assert.True(error is null ? check.IsValid : check.ErrorText == error, $"{name}: {check.ErrorText}");
    }

    [Fact]
    public void Check_UnknownValue_Refused()
    {
        var request = new ActionRequest(StringMap.Of(("snapshot", "agent-state-nightly"), ("claim", "x")));

        Assert.Equal("Restore snapshot takes only the value 'snapshot' (got 'claim').", RestoreSnapshot.Check(request, Detail(["agent-state"], [], "agent-state")).ErrorText);
    }

    [Theory]
    [InlineData("agent-state", "2026-12-06T04:07:59Z", "agent-state-restored-202612060407")]
    [InlineData("s", "2026-01-02T03:04:05+02:00", "s-restored-202601020104")]
    public void RestoredClaimName_ClaimAndUtcMinute(string claim, string at, string expected) =>
        Assert.Equal(expected, RestoreSnapshot.RestoredClaimName(claim, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Evaluate_WaitsForTheOldPodTheBindingAndReadiness_ThenComplete()
    {
        var old = PodOn("agent-a", "agent-state", ready: true);
        var fresh = PodOn("agent-b", "agent-state-restored-1", ready: false);

        var oldLeft = RestoreSnapshot.Evaluate(Detail(["agent-state-restored-1"], [old, fresh], "agent-state-restored-1", phase: "Pending"), 3, "agent-state", "agent-state-restored-1", 1);
        var notReady = RestoreSnapshot.Evaluate(Detail(["agent-state-restored-1"], [fresh], "agent-state-restored-1"), 3, "agent-state", "agent-state-restored-1", 1);
        var done = RestoreSnapshot.Evaluate(Detail(["agent-state-restored-1"], [PodOn("agent-b", "agent-state-restored-1", ready: true)], "agent-state-restored-1"), 3, "agent-state", "agent-state-restored-1", 1);

        Assert.Equal("0/1 pods Ready on claim agent-state-restored-1; waiting for 1 pod on claim agent-state to go, claim agent-state-restored-1 to be Bound (now Pending)", oldLeft.Detail);
        Assert.False(notReady.Complete);
        Assert.Equal((true, "1/1 pods Ready on claim agent-state-restored-1; no pod mounts agent-state"), (done.Complete, done.Detail));
    }

    private static PodSnapshot PodOn(string name, string claim, bool ready) =>
        PodBuilder.Pod(name).Container(Containers.Running("agent")).Ready(ready).Build() with { Volumes = [new PodVolumeSnapshot("state", "PersistentVolumeClaim", ClaimName: claim)] };

    private static AgentDetail Detail(string[] mounted, PodSnapshot[] pods, string claim, string phase = "Bound") => new(
        new AgentSummary("kosmos", "agent", null!, 0, 0, 0, null, [], HasDeployment: true),
        Workloads.Deployment() with
        {
            Generation = 3,
            ObservedGeneration = 3,
            Template = PodTemplateSnapshot.Empty with { Volumes = [.. mounted.Select(m => new PodVolumeSnapshot("state", "PersistentVolumeClaim", ClaimName: m))] },
        },
        [.. pods],
        [],
        [],
        [new PvcSnapshot { Namespace = "kosmos", Name = claim, Phase = phase }],
        [
            Snapshot("agent-state-nightly", "agent-state", ready: true),
            Snapshot("agent-state-slow", "agent-state", ready: false),
            Snapshot("agent-state-failed", "agent-state", ready: false) with { ErrorMessage = "the PVC is not bound" },
            Snapshot("other-nightly", "other-state", ready: true),
        ]);

    private static VolumeSnapshotSnapshot Snapshot(string name, string claim, bool ready) =>
        new() { Namespace = "kosmos", Name = name, SourcePvcName = claim, ReadyToUse = ready, RestoreSize = "2Gi" };
}
