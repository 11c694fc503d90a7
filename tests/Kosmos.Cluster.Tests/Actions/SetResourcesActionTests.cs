using k8s;
using k8s.Models;
using Kosmos.Cluster.Actions;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.TestSupport;

namespace Kosmos.Cluster.Tests.Actions;

/// <summary>Set resources against the simulator over loopback: validation, dry run, guarded apply, verification from the board.</summary>
public sealed class SetResourcesActionTests(RestartFixture cluster) : IClassFixture<RestartFixture>
{
    private const string LimitPath = "spec.template.spec.containers[0].resources.limits.memory";
    private const string RequestPath = "spec.template.spec.containers[0].resources.requests.memory";
    private static readonly TimeSpan VerifyTimeout = TimeSpan.FromSeconds(30);

    private SetResourcesAction Handler => cluster.SetResources;

    [Fact]
    public async Task PlanAsync_RunbookValues_DryRunDiffAndNothingChanged()
    {
        var agent = await cluster.CreateAgentAsync(memoryLimit: "256Mi", memoryRequest: "128Mi");
        var before = await cluster.ReadAsync(agent);
        var pods = (await cluster.PodsAsync(agent)).Select(p => p.Metadata.Uid).Order().ToList();

        var plan = await Handler.PlanAsync(Target(agent), Runbook("2Gi", "1Gi"), expected: null, CancellationToken.None);

        Assert.Contains(plan.Changes, c => c.Path == LimitPath && c.Before == "256Mi" && c.After == "2Gi");
        Assert.Contains(plan.Changes, c => c.Path == RequestPath && c.Before == "128Mi" && c.After == "1Gi");
        Assert.Equal(before.Metadata.ResourceVersion, plan.Precondition.ResourceVersion);
        Assert.Equal($"kubectl set resources deployment {agent} -n {cluster.Namespace} -c agent --limits=memory=2Gi --requests=memory=1Gi", plan.KubectlEquivalent);
        Assert.Equal(SetResourcesAction.RollsPodsNote, plan.Note);
        Assert.Equal(Runbook("2Gi", "1Gi"), plan.Request);
        var after = await cluster.ReadAsync(agent);
        Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal("256Mi", after.Spec.Template.Spec.Containers[0].Resources.Limits["memory"].ToString());
        Assert.Equal(pods, (await cluster.PodsAsync(agent)).Select(p => p.Metadata.Uid).Order());
    }

    [Fact]
    public async Task ApplyAsync_FreshPlan_SetsResourcesRollsEveryPodAndVerifies()
    {
        var agent = await cluster.CreateAgentAsync(replicas: 2, memoryLimit: "256Mi", memoryRequest: "128Mi");
        var oldPods = (await cluster.PodsAsync(agent)).Select(p => p.Metadata.Uid).ToHashSet();
        var plan = await Handler.PlanAsync(Target(agent), Runbook("2Gi", "1Gi"), expected: null, CancellationToken.None);

        var applied = await Handler.ApplyAsync(plan, CancellationToken.None);
        var verification = await Handler.VerifyAsync(applied, progress: null, VerifyTimeout, CancellationToken.None);

        Assert.True(verification.Verified, verification.Detail);
        Assert.Equal("2/2 pods ready with the new resources (agent limits.memory=2Gi, agent requests.memory=1Gi); no old pods left", verification.Detail);
        var resources = (await cluster.ReadAsync(agent)).Spec.Template.Spec.Containers[0].Resources;
        Assert.Equal(("2Gi", "1Gi"), (resources.Limits["memory"].ToString(), resources.Requests["memory"].ToString()));
        var pods = await cluster.PodsAsync(agent);
        Assert.Equal(2, pods.Count);
        Assert.DoesNotContain(pods, p => oldPods.Contains(p.Metadata.Uid));
        Assert.All(pods, p => Assert.Equal("2Gi", p.Spec.Containers[0].Resources.Limits["memory"].ToString()));
    }

    [Fact]
    public async Task VerifyAsync_OomAgentBumpedAboveItsUsage_NoLongerOomKilledAndVerified()
    {
        var agent = await OomKilledAgentAsync();

        var applied = await cluster.PlanAndApplyAsync(Handler, agent, Runbook("1Gi", "512Mi"));
        var verification = await Handler.VerifyAsync(applied, progress: null, VerifyTimeout, CancellationToken.None);

        Assert.True(verification.Verified, verification.Detail);
        Assert.Contains($"no new OOMKilled termination in {RestartFixture.OomWatch.TotalSeconds}s (checked the state and last state of agent in every new pod; before: pod ", verification.Detail, StringComparison.Ordinal);
        await Eventually.Until(() => cluster.Board.GetDetail(cluster.Namespace, agent)?.Summary.Health.State == HealthState.Healthy,
            RestartFixture.Timeout, $"{agent} healthy on the board");
    }

    [Fact]
    public async Task VerifyAsync_OomAgentBumpedBelowItsUsage_NotVerifiedNamingTheKill()
    {
        var agent = await OomKilledAgentAsync();

        var applied = await cluster.PlanAndApplyAsync(Handler, agent, Runbook("320Mi", "128Mi"));
        var verification = await Handler.VerifyAsync(applied, progress: null, VerifyTimeout, CancellationToken.None);

        Assert.False(verification.Verified);
        Assert.Matches(@"^container agent of pod \S+ was OOMKilled \(memory limit 320Mi, \d+ restarts\) with the new values: the agent still needs more memory than that", verification.Detail);
    }

    [Fact]
    public async Task ApplyAsync_DeploymentChangedSincePreview_ConflictAndNothingChanged()
    {
        var agent = await cluster.CreateAgentAsync(memoryLimit: "256Mi");
        var plan = await Handler.PlanAsync(Target(agent), Runbook("2Gi", null), expected: null, CancellationToken.None);
        var touched = await cluster.Api.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"labels":{"touched":"yes"}}}""", V1Patch.PatchType.MergePatch), agent, cluster.Namespace);

        var ex = await Assert.ThrowsAsync<ActionException>(() => Handler.ApplyAsync(plan, CancellationToken.None));

        Assert.Equal(ActionFailure.Conflict, ex.Failure);
        Assert.Contains($"Deployment {cluster.Namespace}/{agent} changed since the preview (resourceVersion {plan.Precondition.ResourceVersion}", ex.Message, StringComparison.Ordinal);
        var now = await cluster.ReadAsync(agent);
        Assert.Equal(touched.Metadata.ResourceVersion, now.Metadata.ResourceVersion);
        Assert.Equal("256Mi", now.Spec.Template.Spec.Containers[0].Resources.Limits["memory"].ToString());
    }

    [Fact]
    public async Task PlanAsync_StalePrecondition_ConflictBeforeAnyDryRun()
    {
        var agent = await cluster.CreateAgentAsync(waitReady: false, memoryLimit: "256Mi");

        var ex = await Assert.ThrowsAsync<ActionException>(() => Handler.PlanAsync(Target(agent), Runbook("2Gi", null), new Precondition("1"), CancellationToken.None));

        Assert.Equal(ActionFailure.Conflict, ex.Failure);
        Assert.Contains("Nothing was changed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanAsync_OnlyMetadataOrStatusMovedSincePreview_PlansFromTheNewVersionAtTheSameGeneration()
    {
        var agent = await cluster.CreateAgentAsync(memoryLimit: "256Mi");
        var preview = await Handler.PlanAsync(Target(agent), Runbook("2Gi", null), expected: null, CancellationToken.None);
        var touched = await cluster.Api.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"labels":{"touched":"yes"}}}""", V1Patch.PatchType.MergePatch), agent, cluster.Namespace);

        var plan = await Handler.PlanAsync(Target(agent), Runbook("2Gi", null), preview.Precondition, CancellationToken.None);

        Assert.Equal(new Precondition(touched.Metadata.ResourceVersion, preview.Precondition.Generation), plan.Precondition);
        Assert.Contains(plan.Changes, c => c.Path == LimitPath && c.Before == "256Mi" && c.After == "2Gi");
    }

    [Fact]
    public async Task PlanAsync_SpecChangedSincePreview_ConflictAndNothingChanged()
    {
        var agent = await cluster.CreateAgentAsync(memoryLimit: "256Mi");
        var preview = await Handler.PlanAsync(Target(agent), Runbook("2Gi", null), expected: null, CancellationToken.None);
        await cluster.Api.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"metadata":{"annotations":{"touched":"yes"}}}}}""", V1Patch.PatchType.MergePatch), agent, cluster.Namespace);

        var ex = await Assert.ThrowsAsync<ActionException>(() => Handler.PlanAsync(Target(agent), Runbook("2Gi", null), preview.Precondition, CancellationToken.None));

        Assert.Equal(ActionFailure.Conflict, ex.Failure);
        Assert.Equal("256Mi", (await cluster.ReadAsync(agent)).Spec.Template.Spec.Containers[0].Resources.Limits["memory"].ToString());
    }

    [Theory]
    [InlineData("2Gx", null, "memory limit '2Gx' is not a valid quantity: quantities must match the regular expression")]
    [InlineData("1Gi", "2Gi", "Container agent: memory request 2Gi would be more than its memory limit 1Gi.")]
    [InlineData("256Mi", null, "Nothing would change: container agent already has limits.memory=256Mi.")]
    public async Task PlanAsync_InvalidValues_InvalidAndDeploymentUnchanged(string limit, string? request, string message)
    {
        // Ready first: until then the controllers still write the Deployment's status (and its resourceVersion).
        var agent = await cluster.CreateAgentAsync(memoryLimit: "256Mi");
        var before = (await cluster.ReadAsync(agent)).Metadata.ResourceVersion;

        var ex = await Assert.ThrowsAsync<ActionException>(() => Handler.PlanAsync(Target(agent), Runbook(limit, request), expected: null, CancellationToken.None));

        Assert.Equal(ActionFailure.Invalid, ex.Failure);
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await cluster.ReadAsync(agent)).Metadata.ResourceVersion);
    }

    // An agent limited to 256Mi whose program needs 400Mi: killed, restarted, killed again.
    private async Task<string> OomKilledAgentAsync()
    {
        var name = await cluster.CreateAgentAsync(waitReady: false, memoryLimit: "256Mi", memoryRequest: "128Mi", memoryNeed: "400Mi");
        await Eventually.Until(() => cluster.Board.GetDetail(cluster.Namespace, name)?.Summary.Health.State == HealthState.OOMKilled,
            RestartFixture.Timeout, $"{name} OOMKilled on the board");
        return name;
    }

    private static ActionRequest Runbook(string limit, string? request) => new SetResourcesRequest("agent", limit, request, null, null).ToActionRequest();

    private AgentRef Target(string agent) => new(cluster.Namespace, agent);
}
