using k8s;
using k8s.Models;
using Kosmos.Cluster.Actions;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Tests.Actions;

/// <summary>The restart handler against the simulator over loopback: dry run, guarded apply, verification from the board.</summary>
public sealed class RestartAgentActionTests(RestartFixture cluster) : IClassFixture<RestartFixture>
{
    private static readonly TimeSpan VerifyTimeout = TimeSpan.FromSeconds(30);

    private RestartAgentAction Handler => cluster.Handler;

    [Fact]
    public async Task PlanAsync_HealthyAgent_PreviewsRestartedAtAndChangesNothing()
    {
        var agent = await cluster.CreateAgentAsync();
        var before = await cluster.ReadAsync(agent);
        var pods = (await cluster.PodsAsync(agent)).Select(p => p.Metadata.Uid).Order().ToList();

        var plan = await Handler.PlanAsync(Target(agent), ActionRequest.None, expected: null, CancellationToken.None);

        var restart = Assert.Single(plan.Changes, c => c.Path == """spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]""");
        Assert.Null(restart.Before);
        Assert.Equal(plan.Parameters[RestartAgentAction.RestartedAtParameter], restart.After);
        Assert.Contains(plan.Changes, c => c.Path == "metadata.generation" && c.Before == "1" && c.After == "2");
        Assert.Equal(before.Metadata.ResourceVersion, plan.Precondition.ResourceVersion);
        Assert.Equal($"kubectl rollout restart deployment {agent} -n {cluster.Namespace}", plan.KubectlEquivalent);
        var after = await cluster.ReadAsync(agent);
        Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Null(RestartedAt(after));
        Assert.Equal(pods, (await cluster.PodsAsync(agent)).Select(p => p.Metadata.Uid).Order());
    }

    [Fact]
    public async Task ApplyAsync_FreshPlan_ReplacesEveryPodAndVerifies()
    {
        var agent = await cluster.CreateAgentAsync(replicas: 2);
        var oldPods = (await cluster.PodsAsync(agent)).Select(p => p.Metadata.Uid).ToHashSet();
        var plan = await Handler.PlanAsync(Target(agent), ActionRequest.None, expected: null, CancellationToken.None);
        var progress = new ProgressLog();

        var applied = await Handler.ApplyAsync(plan, CancellationToken.None);
        var verification = await Handler.VerifyAsync(applied, progress, VerifyTimeout, CancellationToken.None);

        Assert.True(verification.Verified, verification.Detail);
        Assert.Equal(2, verification.Ready);
        Assert.Contains("2/2 new pods ready", verification.Detail, StringComparison.Ordinal);
        var deployment = await cluster.ReadAsync(agent);
        Assert.Equal(plan.Parameters[RestartAgentAction.RestartedAtParameter], deployment.Spec.Template.Metadata.Annotations[WellKnownKeys.RestartedAtAnnotation]);
        var pods = await cluster.PodsAsync(agent);
        Assert.Equal(2, pods.Count);
        Assert.DoesNotContain(pods, p => oldPods.Contains(p.Metadata.Uid));
        Assert.Contains(progress.Items, p => p.Step == ActionStep.Verify && p.Message.StartsWith("Waiting for the rollout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyAsync_DeploymentChangedSincePreview_ConflictAndNothingChanged()
    {
        var agent = await cluster.CreateAgentAsync();
        var plan = await Handler.PlanAsync(Target(agent), ActionRequest.None, expected: null, CancellationToken.None);
        var touched = await cluster.Api.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"labels":{"touched":"yes"}}}""", V1Patch.PatchType.MergePatch), agent, cluster.Namespace);

        var ex = await Assert.ThrowsAsync<ActionException>(() => Handler.ApplyAsync(plan, CancellationToken.None));

        Assert.Equal(ActionFailure.Conflict, ex.Failure);
        Assert.Contains($"Deployment {cluster.Namespace}/{agent} changed since the preview (resourceVersion {plan.Precondition.ResourceVersion}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", ex.Message, StringComparison.Ordinal);
        var now = await cluster.ReadAsync(agent);
        Assert.Equal(touched.Metadata.ResourceVersion, now.Metadata.ResourceVersion);
        Assert.Null(RestartedAt(now));
    }

    [Fact]
    public async Task PlanAsync_StalePrecondition_ConflictBeforeAnyDryRun()
    {
        var agent = await cluster.CreateAgentAsync(waitReady: false);

        var ex = await Assert.ThrowsAsync<ActionException>(() => Handler.PlanAsync(Target(agent), ActionRequest.None, new Precondition("1"), CancellationToken.None));

        Assert.Equal(ActionFailure.Conflict, ex.Failure);
        Assert.Contains("changed since the preview (resourceVersion 1, now ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanAsync_UnknownAgent_NotFoundNamingIt()
    {
        var ex = await Assert.ThrowsAsync<ActionException>(() => Handler.PlanAsync(Target("no-such-agent"), ActionRequest.None, expected: null, CancellationToken.None));

        Assert.Equal(ActionFailure.NotFound, ex.Failure);
        Assert.Equal($"There is no deployment no-such-agent in namespace {cluster.Namespace}.", ex.Message);
    }

    [Fact]
    public async Task ApplyAsync_AgentDeletedSincePreview_NotFound()
    {
        var agent = await cluster.CreateAgentAsync(waitReady: false);
        var plan = await Handler.PlanAsync(Target(agent), ActionRequest.None, expected: null, CancellationToken.None);
        await cluster.Api.AppsV1.DeleteNamespacedDeploymentAsync(agent, cluster.Namespace);

        var ex = await Assert.ThrowsAsync<ActionException>(() => Handler.ApplyAsync(plan, CancellationToken.None));

        Assert.Equal(ActionFailure.NotFound, ex.Failure);
    }

    [Fact]
    public async Task VerifyAsync_ImageMissing_TimesOutSayingWhatItWaitedFor()
    {
        var agent = await cluster.CreateAgentAsync(tag: "missing", waitReady: false, imageMissing: true);
        var applied = await cluster.PlanAndApplyAsync(Handler, agent, ActionRequest.None);

        var verification = await Handler.VerifyAsync(applied, progress: null, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.False(verification.Verified);
        Assert.StartsWith($"the rollout of {cluster.Namespace}/{agent} did not complete within 2s: 0/1 new pods ready", verification.Detail, StringComparison.Ordinal);
        Assert.Equal(0, verification.Ready);
        Assert.Equal(1, verification.Desired);
    }

    [Fact]
    public async Task VerifyAsync_Cancelled_ThrowsOperationCanceled()
    {
        var agent = await cluster.CreateAgentAsync(tag: "missing", waitReady: false, imageMissing: true);
        var applied = await cluster.PlanAndApplyAsync(Handler, agent, ActionRequest.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Handler.VerifyAsync(applied, progress: null, VerifyTimeout, cancel.Token));
    }

    private AgentRef Target(string agent) => new(cluster.Namespace, agent);

    private static string? RestartedAt(V1Deployment deployment) =>
        deployment.Spec.Template.Metadata.Annotations is { } annotations && annotations.TryGetValue(WellKnownKeys.RestartedAtAnnotation, out var value) ? value : null;

    /// <summary>Collects progress synchronously (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
    private sealed class ProgressLog : IProgress<ActionProgress>
    {
        private readonly List<ActionProgress> _items = [];

        public IReadOnlyList<ActionProgress> Items
        {
            get
            {
                lock (_items)
                {
                    return [.. _items];
                }
            }
        }

        public void Report(ActionProgress value)
        {
            lock (_items)
            {
                _items.Add(value);
            }
        }
    }
}
