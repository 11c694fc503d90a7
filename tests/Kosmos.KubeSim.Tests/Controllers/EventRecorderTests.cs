using System.Text.Json.Nodes;
using Kosmos.KubeSim.Controllers;
using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Time.Testing;

namespace Kosmos.KubeSim.Tests.Controllers;

public sealed class EventRecorderTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 12, 13, 10, 0, 0, TimeSpan.Zero));
    private readonly ObjectStore _store;
    private readonly JsonObject _deployment;
    private readonly JsonObject _pod;

    public EventRecorderTests()
    {
        _store = new ObjectStore(_time);
        _deployment = _store.Create(ResourceKinds.Deployments, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "planner", ["namespace"] = "kosmos" } });
        _pod = _store.Create(ResourceKinds.Pods, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "agent-0", ["namespace"] = "kosmos" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "agent", ["image"] = "x" }) },
        });
    }

    private string PodUid => _pod["metadata"]!["uid"]!.GetValue<string>();

    [Fact]
    public void Record_FirstTime_WritesCoreEventAboutTheObject()
    {
        var recorder = new EventRecorder(_store, _time, "deployment-controller");

        var ev = recorder.Record(_deployment, "Normal", "ScalingReplicaSet", "Scaled up replica set planner-5d8f7c9b4 from 0 to 1")!;

        Assert.Matches("^planner\\.[0-9a-f]+$", ev["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("kosmos", ev["metadata"]!["namespace"]!.GetValue<string>());
        var involved = ev["involvedObject"]!;
        Assert.Equal(("Deployment", "apps/v1", "kosmos", "planner"),
            (involved["kind"]!.GetValue<string>(), involved["apiVersion"]!.GetValue<string>(), involved["namespace"]!.GetValue<string>(), involved["name"]!.GetValue<string>()));
        Assert.Equal(_deployment["metadata"]!["uid"]!.GetValue<string>(), involved["uid"]!.GetValue<string>());
        Assert.Equal(_deployment["metadata"]!["resourceVersion"]!.GetValue<string>(), involved["resourceVersion"]!.GetValue<string>());
        Assert.Equal(("ScalingReplicaSet", "Normal", "deployment-controller", 1L),
            (ev["reason"]!.GetValue<string>(), ev["type"]!.GetValue<string>(), ev["source"]!["component"]!.GetValue<string>(), JsonValues.Long(ev["count"])));
        Assert.Equal("2025-12-13T10:00:00Z", ev["firstTimestamp"]!.GetValue<string>());
        Assert.Equal(1, _store.Count(ResourceKinds.Events));
    }

    [Fact]
    public void Record_SameEventAgain_IncrementsCountAndLastTimestamp()
    {
        var recorder = new EventRecorder(_store, _time, "kubelet", host: "node-1");
        recorder.Warning(_deployment, "BackOff", "Back-off restarting failed container", "spec.containers{agent}");
        _time.Advance(TimeSpan.FromSeconds(30));

        recorder.Warning(_deployment, "BackOff", "Back-off restarting failed container", "spec.containers{agent}");
        var third = recorder.Record(_deployment, "Warning", "BackOff", "Back-off restarting failed container", "spec.containers{agent}")!;

        Assert.Equal(1, _store.Count(ResourceKinds.Events));
        Assert.Equal(3L, JsonValues.Long(third["count"]));
        Assert.Equal("2025-12-13T10:00:00Z", third["firstTimestamp"]!.GetValue<string>());
        Assert.Equal("2025-12-13T10:00:30Z", third["lastTimestamp"]!.GetValue<string>());
        Assert.Equal("spec.containers{agent}", third["involvedObject"]!["fieldPath"]!.GetValue<string>());
        Assert.Equal(("kubelet", "node-1"), (third["source"]!["component"]!.GetValue<string>(), third["source"]!["host"]!.GetValue<string>()));
    }

    [Fact]
    public void Record_DifferentMessageOrDeletedEvent_AddsNewEvent()
    {
        var recorder = new EventRecorder(_store, _time, "replicaset-controller");
        recorder.Normal(_deployment, "SuccessfulCreate", "Created pod: planner-abc");
        recorder.Record(_deployment, "Normal", "SuccessfulCreate", "Created pod: planner-def");
        Assert.Equal(2, _store.Count(ResourceKinds.Events));

        var first = _store.List(ResourceKinds.Events, "kosmos").Items.Single(e => e["message"]!.GetValue<string>() == "Created pod: planner-abc");
        _store.Delete(ResourceKinds.Events, "kosmos", first["metadata"]!["name"]!.GetValue<string>());
        var again = recorder.Record(_deployment, "Normal", "SuccessfulCreate", "Created pod: planner-abc")!;

        Assert.Equal(1L, JsonValues.Long(again["count"]));
        Assert.Equal(2, _store.Count(ResourceKinds.Events));
    }

    // The kubelet's events: the same recorder, a pod container as the target.
    [Fact]
    public void Kubelet_RepeatedContainerEvent_BumpsCountOnTheSameEvent_LikeTheEventCorrelator()
    {
        var recorder = new EventRecorder(_store, _time, EventRecorder.Kubelet, "kosmos-node-1");
        var target = EventTarget.Of(_pod).ForContainer("agent");

        recorder.Warning(target, "BackOff", $"Back-off restarting failed container agent in pod agent-0_kosmos({PodUid})");
        _time.Advance(TimeSpan.FromMinutes(12));
        recorder.Warning(target, "BackOff", $"Back-off restarting failed container agent in pod agent-0_kosmos({PodUid})");
        recorder.Normal(target, "Pulled", "Container image \"x\" already present on machine");

        var (events, _) = _store.List(ResourceKinds.Events, "kosmos");
        Assert.Equal(2, events.Count);
        var backOff = events.Single(e => JsonValues.String(e["reason"]) == "BackOff");
        Assert.Equal(2, JsonValues.Long(backOff["count"]));
        Assert.Equal(("2025-12-13T10:00:00Z", "2025-12-13T10:12:00Z"), (JsonValues.String(backOff["firstTimestamp"]), JsonValues.String(backOff["lastTimestamp"])));
        Assert.Equal("Warning", JsonValues.String(backOff["type"]));
        var involved = backOff["involvedObject"]!;
        Assert.Equal(("Pod", "v1", "kosmos", "agent-0", "spec.containers{agent}"),
            (JsonValues.String(involved["kind"]), JsonValues.String(involved["apiVersion"]), JsonValues.String(involved["namespace"]),
                JsonValues.String(involved["name"]), JsonValues.String(involved["fieldPath"])));
        Assert.Equal(PodUid, JsonValues.String(involved["uid"]));
        Assert.Equal(JsonValues.String(_pod["metadata"]!["resourceVersion"]), JsonValues.String(involved["resourceVersion"]));
        Assert.Equal(("kubelet", "kosmos-node-1"), (JsonValues.String(backOff["source"]?["component"]), JsonValues.String(backOff["source"]?["host"])));
        Assert.Equal(("kubelet", "kosmos-node-1"), (JsonValues.String(backOff["reportingComponent"]), JsonValues.String(backOff["reportingInstance"])));
        Assert.StartsWith("agent-0.", JsonValues.String(backOff["metadata"]?["name"]));
    }

    [Fact]
    public void Scheduler_EventsHaveNoHost()
    {
        var recorder = new EventRecorder(_store, _time, EventRecorder.Scheduler);

        var ev = recorder.Record(_pod, "Normal", "Scheduled", "Successfully assigned kosmos/agent-0 to kosmos-node-1")!;

        Assert.Equal("default-scheduler", JsonValues.String(ev["source"]?["component"]));
        Assert.Null(ev["source"]?["host"]);
        Assert.Equal(("default-scheduler", ""), (JsonValues.String(ev["reportingComponent"]), JsonValues.String(ev["reportingInstance"])));
        Assert.Null(ev["involvedObject"]?["fieldPath"]);
    }

    [Fact]
    public void Forget_APodThatIsGone_StartsItsNextEventAfresh()
    {
        var recorder = new EventRecorder(_store, _time, EventRecorder.Kubelet, "kosmos-node-1");
        recorder.Warning(EventTarget.Of(_pod), "FailedMount", "no such volume");

        recorder.Forget(PodUid);
        var again = recorder.Record(EventTarget.Of(_pod), "Warning", "FailedMount", "no such volume")!;

        Assert.Equal(1L, JsonValues.Long(again["count"]));
        Assert.Equal(2, _store.Count(ResourceKinds.Events));
    }
}
