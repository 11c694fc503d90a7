using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.KubeSim.Fleet;
using Kosmos.KubeSim.Store;
using Kosmos.KubeSim.Tests.Runtime;

namespace Kosmos.KubeSim.Tests.Fleet;

/// <summary>
/// The demo fleet's pods, as its ReplicaSets would create them from the Deployment templates, end up in the states the demo
/// is about — and a fix recovers them.
/// </summary>
public sealed class FleetDemoTests(KubeletFixture fixture) : PodTests(fixture)
{
    [Fact]
    public async Task FleetPods_ReachTheirDemoStates_AndReviewerRecoversOnceVectorStoreRuns()
    {
        var manifests = FleetSeeder.LoadManifests(FleetSeeder.FindManifestsDirectory()!);
        foreach (var o in manifests.Where(o => JsonValues.String(o["kind"]) is not ("Namespace" or "Deployment")))
        {
            var kind = ResourceKinds.FindByKind(JsonValues.String(o["apiVersion"])!, JsonValues.String(o["kind"])!)!;
            Fixture.Simulator.Store.Create(kind, o);
        }

        // Standing in for the volume controller: the agents' claims are bound.
        foreach (var claim in manifests.Where(o => JsonValues.String(o["kind"]) == "PersistentVolumeClaim"))
        {
            PodTests.BindClaim(Fixture.Simulator.Store, JsonValues.String(claim["metadata"]?["name"])!);
        }

        var templates = manifests.Where(o => JsonValues.String(o["kind"]) == "Deployment")
            .ToDictionary(d => JsonValues.String(d["metadata"]?["name"])!, d => d["spec"]!["template"]!.AsObject());
        foreach (var (agent, template) in templates)
        {
            await CreateAsync(FromTemplate(agent + "-demo", template));
        }

        await WaitForAsync("planner-demo", p => Condition(p, "Ready", "True"), "planner Ready");
        await WaitForAsync("archivist-demo", p => Condition(p, "Ready", "True"), "archivist Ready");
        var planner = await Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("planner-state", Ns);
        Assert.Equal("Bound", planner.Status.Phase);
        Assert.Contains("state: /var/lib/kosmos (persistent volume)", await LogAsync("planner-demo"));

        await WaitForAsync("researcher-demo", p => Agent(p).State?.Waiting?.Reason == "CrashLoopBackOff", "researcher CrashLoopBackOff");
        Assert.Contains("FATAL config: required setting KOSMOS_MODEL_ENDPOINT is not set", await LogAsync("researcher-demo", previous: true));

        var summarizer = await WaitForAsync("summarizer-demo", p => Agent(p).LastState?.Terminated?.Reason == "OOMKilled", "summarizer OOMKilled");
        Assert.Equal(137, Agent(summarizer).LastState.Terminated.ExitCode);

        await WaitForAsync("coder-demo", p => Condition(p, "Ready", "True"), "coder Ready before it deadlocks");
        var coder = await WaitForAsync("coder-demo", p => Condition(p, "Ready", "False"), "coder deadlocked");
        Assert.Equal("Running", coder.Status.Phase);
        Assert.Equal(0, Agent(coder).RestartCount);

        await WaitForAsync("vector-store-demo", p => Agent(p).State?.Waiting?.Reason == "ImagePullBackOff", "vector-store ImagePullBackOff");
        await WaitForAsync("scheduler-bot-demo", p => Condition(p, "PodScheduled", "False"), "scheduler-bot Unschedulable");
        await WaitForAsync("reviewer-demo", p => Agent(p).State?.Waiting?.Reason == "CrashLoopBackOff", "reviewer CrashLoopBackOff");
        Assert.Contains("ERROR dependency vector-store unavailable: connection refused (http://vector-store.kosmos.svc:8080)",
            await LogAsync("reviewer-demo", previous: true));

        // `kubectl set image deployment/vector-store agent=...:2.4.1` gives a pod like this one.
        var fixedTemplate = templates["vector-store"].DeepClone().AsObject();
        fixedTemplate["spec"]!["containers"]![0]!["image"] = "ghcr.io/kosmos-ai/vector-store:2.4.1";
        await CreateAsync(FromTemplate("vector-store-fixed", fixedTemplate));
        await WaitForAsync("vector-store-fixed", p => Condition(p, "Ready", "True"), "vector-store Ready");

        await WaitForAsync("reviewer-demo", p => Condition(p, "Ready", "True"), "reviewer Ready");
    }

    private static V1Pod FromTemplate(string name, JsonObject template)
    {
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["labels"] = template["metadata"]!["labels"]!.DeepClone() },
            ["spec"] = template["spec"]!.DeepClone(),
        };
        return KubernetesJson.Deserialize<V1Pod>(pod.ToJsonString());
    }
}
