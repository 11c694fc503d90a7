using Kosmos.KubeSim.Runtime;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Tests.Runtime;

public sealed class PodEventRecorderTests
{
    [Fact]
    public void RepeatedEvent_BumpsCountOnTheSameEvent_LikeTheEventCorrelator()
    {
        var store = new ObjectStore(TimeProvider.System);
        var recorder = new PodEventRecorder(store, TimeProvider.System, "kosmos-node-1");
        var target = new EventTarget("kosmos", "agent-0", "uid-1").ForContainer("agent");

        recorder.Warning(target, "BackOff", "Back-off restarting failed container agent in pod agent-0_kosmos(uid-1)");
        recorder.Warning(target, "BackOff", "Back-off restarting failed container agent in pod agent-0_kosmos(uid-1)");
        recorder.Normal(target, "Pulled", "Container image \"x\" already present on machine");

        var (events, _) = store.List(ResourceKinds.Events, "kosmos");
        Assert.Equal(2, events.Count);
        var backOff = events.Single(e => JsonValues.String(e["reason"]) == "BackOff");
        Assert.Equal(2, JsonValues.Long(backOff["count"]));
        Assert.Equal("Warning", JsonValues.String(backOff["type"]));
        Assert.Equal("spec.containers{agent}", JsonValues.String(backOff["involvedObject"]?["fieldPath"]));
        Assert.Equal("uid-1", JsonValues.String(backOff["involvedObject"]?["uid"]));
        Assert.Equal("kubelet", JsonValues.String(backOff["source"]?["component"]));
        Assert.Equal("kosmos-node-1", JsonValues.String(backOff["source"]?["host"]));
        Assert.StartsWith("agent-0.", JsonValues.String(backOff["metadata"]?["name"]));
        Assert.NotNull(backOff["firstTimestamp"]);
        Assert.NotNull(backOff["lastTimestamp"]);
    }
}
