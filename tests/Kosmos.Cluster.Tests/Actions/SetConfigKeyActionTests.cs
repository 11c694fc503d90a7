using k8s;
using k8s.Models;
using Kosmos.Cluster.Actions;
using Kosmos.Cluster.Config;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.TestSupport;

namespace Kosmos.Cluster.Tests.Actions;

/// <summary>
/// Set config key against the simulator over loopback, on an agent that imports a ConfigMap whole and crash-loops until
/// KOSMOS_MODEL_ENDPOINT is set (the demo researcher's failure): adding the key to its ConfigMap and restarting recovers it
/// and is verified; a ConfigMap it does not read, one that does not exist, a bad key and a stale preview change nothing.
/// </summary>
public sealed class SetConfigKeyActionTests(RestartFixture cluster) : IClassFixture<RestartFixture>
{
    private const string Required = "KOSMOS_MODEL_ENDPOINT";
    private static readonly TimeSpan VerifyTimeout = TimeSpan.FromSeconds(40);

    private SetConfigKeyAction Handler => cluster.SetConfigKey;

    [Fact]
    public async Task Apply_MissingSettingAddedToTheImportedConfigMap_ConfigMapChangedPodsReplacedAndVerified()
    {
        var (agent, config) = await CrashingAgentAsync();
        var oldPods = (await cluster.PodsAsync(agent)).Select(p => p.Metadata.Name).ToList();

        var applied = await cluster.PlanAndApplyAsync(Handler, agent, Request(config, Required, "http://model-gateway:8000/v1"));
        var verification = await Handler.VerifyAsync(applied, progress: null, VerifyTimeout, CancellationToken.None);

        Assert.True(verification.Verified, verification.Detail);
        Assert.StartsWith($"configmap {config} has the new {Required}; 1/1 new pods ready", verification.Detail, StringComparison.Ordinal);
        var change = Assert.Single(applied.Plan.Changes);
        Assert.Equal(($"configmap/{config} data.{Required}", (string?)null, "http://model-gateway:8000/v1"), (change.Path, change.Before, change.After));
        Assert.Equal($"kubectl patch configmap {config} -n {cluster.Namespace} --type=merge -p '{{\"data\":{{\"{Required}\":\"http://model-gateway:8000/v1\"}}}}' " +
            $"&& kubectl rollout restart deployment/{agent} -n {cluster.Namespace}", applied.Plan.KubectlEquivalent);
        Assert.Equal(2, applied.Plan.Steps.Count);
        var data = (await cluster.Api.CoreV1.ReadNamespacedConfigMapAsync(config, cluster.Namespace)).Data;
        Assert.Equal("http://model-gateway:8000/v1", data[Required]);
        Assert.Equal("http://model-gateway:8000/v1", data["KOSMOS_MODEL_URL"]);
        Assert.DoesNotContain((await cluster.PodsAsync(agent)).Where(p => p.Metadata.DeletionTimestamp is null), p => oldPods.Contains(p.Metadata.Name));
        await Eventually.Until(() => cluster.Board.GetDetail(cluster.Namespace, agent)?.Summary.Health.State == HealthState.Healthy,
            RestartFixture.Timeout, $"{agent} healthy on the board");
    }

    [Fact]
    public async Task Plan_ConfigMapTheAgentDoesNotRead_InvalidAndNothingSentToIt()
    {
        var (agent, config) = await CrashingAgentAsync();
        var other = await cluster.CreateConfigMapAsync("other-" + Guid.NewGuid().ToString("N")[..6], ("A", "1"));
        var (gets, patches) = (cluster.Requests("get", "configmaps"), cluster.Requests("patch", "configmaps"));

        var error = await Assert.ThrowsAsync<ActionException>(() => PlanAsync(agent, Request(other.Metadata.Name, "A", "2")));

        Assert.Equal(ActionFailure.Invalid, error.Failure);
        Assert.Equal($"Deployment {cluster.Namespace}/{agent} does not read configmap '{other.Metadata.Name}' (it reads: {config}); " +
            "set config key edits only a ConfigMap the agent reads.", error.Message);
        Assert.Equal((gets, patches), (cluster.Requests("get", "configmaps"), cluster.Requests("patch", "configmaps")));
        Assert.Equal(other.Metadata.ResourceVersion, (await cluster.Api.CoreV1.ReadNamespacedConfigMapAsync(other.Metadata.Name, cluster.Namespace)).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Plan_ReferencedConfigMapThatDoesNotExist_InvalidAndNothingPatched()
    {
        var config = "missing-" + Guid.NewGuid().ToString("N")[..6];
        var agent = await cluster.CreateAgentAsync(waitReady: false, envFromConfigMap: config);
        var patches = cluster.Requests("patch", "configmaps");

        var error = await Assert.ThrowsAsync<ActionException>(() => PlanAsync(agent, Request(config, Required, "x")));

        Assert.Equal(ActionFailure.Invalid, error.Failure);
        Assert.Equal($"Deployment {cluster.Namespace}/{agent} reads configmap {config}, but there is no configmap {config} in namespace {cluster.Namespace}; " +
            "create it with kubectl. Nothing was changed.", error.Message);
        Assert.Equal(patches, cluster.Requests("patch", "configmaps"));
    }

    [Theory]
    [InlineData("bad key", "key 'bad key' is not a valid ConfigMap key: a valid config key must consist of alphanumeric characters, '-', '_' or '.'")]
    [InlineData("..", "key '..' is not a valid ConfigMap key: must not be '..'")]
    public async Task Plan_BadKey_InvalidAndNothingSentToTheConfigMap(string key, string message)
    {
        var (agent, config) = await CrashingAgentAsync();
        var (gets, patches) = (cluster.Requests("get", "configmaps"), cluster.Requests("patch", "configmaps"));

        var error = await Assert.ThrowsAsync<ActionException>(() => PlanAsync(agent, Request(config, key, "x")));

        Assert.Equal(ActionFailure.Invalid, error.Failure);
        Assert.Equal(message + ".", error.Message);
        Assert.Equal((gets, patches), (cluster.Requests("get", "configmaps"), cluster.Requests("patch", "configmaps")));
    }

    [Fact]
    public async Task ApplyAndPlan_ConfigMapChangedSinceThePreview_ConflictAndNothingChanged()
    {
        var (agent, config) = await CrashingAgentAsync();
        var plan = await PlanAsync(agent, Request(config, Required, "http://model:8000"));
        var generation = (await cluster.ReadAsync(agent)).Metadata.Generation;
        // Someone else edits the ConfigMap after the preview.
        await cluster.Api.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"KOSMOS_LOG_LEVEL":"debug"}}""", V1Patch.PatchType.MergePatch),
            config, cluster.Namespace);

        var replanned = await Assert.ThrowsAsync<ActionException>(() =>
            Handler.PlanAsync(new AgentRef(cluster.Namespace, agent), plan.Request, plan.Precondition, CancellationToken.None));
        var applied = await Assert.ThrowsAsync<ActionException>(() => Handler.ApplyAsync(plan, CancellationToken.None));

        Assert.Equal((ActionFailure.Conflict, ActionFailure.Conflict), (replanned.Failure, applied.Failure));
        Assert.StartsWith($"configmap {cluster.Namespace}/{config} changed since the preview (resourceVersion {plan.Precondition.ResourceVersion}, now ", replanned.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed; preview again", applied.Message, StringComparison.Ordinal);
        Assert.False((await cluster.Api.CoreV1.ReadNamespacedConfigMapAsync(config, cluster.Namespace)).Data.ContainsKey(Required));
        Assert.Equal(generation, (await cluster.ReadAsync(agent)).Metadata.Generation);
    }

    [Fact]
    public async Task Plan_DryRun_ShowsOldAndNewValueAndChangesNothing()
    {
        var (agent, config) = await CrashingAgentAsync();
        var before = await cluster.Api.CoreV1.ReadNamespacedConfigMapAsync(config, cluster.Namespace);

        var plan = await PlanAsync(agent, Request(config, "KOSMOS_MODEL_URL", "http://new-gateway:8000/v1"));

        var change = Assert.Single(plan.Changes);
        Assert.Equal($"configmap/{config} data.KOSMOS_MODEL_URL: http://model-gateway:8000/v1 → http://new-gateway:8000/v1", change.ToString());
        Assert.Equal(before.Metadata.ResourceVersion, plan.Precondition.ResourceVersion);
        Assert.Equal(SetConfigKeyAction.RestartNote, plan.Note);
        var after = await cluster.Api.CoreV1.ReadNamespacedConfigMapAsync(config, cluster.Namespace);
        Assert.Equal((before.Metadata.ResourceVersion, "http://model-gateway:8000/v1"), (after.Metadata.ResourceVersion, after.Data["KOSMOS_MODEL_URL"]));
    }

    // Only the target is restarted: another agent that imports the same ConfigMap keeps the old value until it restarts.
    [Fact]
    public async Task Plan_ConfigMapOtherAgentsReadToo_WarningNamesThemAndNothingChanged()
    {
        var (agent, config) = await CrashingAgentAsync();
        var sharing = await cluster.CreateAgentAsync(waitReady: false, envFromConfigMap: config);
        var unrelated = await cluster.CreateAgentAsync(waitReady: false, envFromConfigMap: (await cluster.CreateConfigMapAsync("own-" + Guid.NewGuid().ToString("N")[..6], ("A", "1"))).Metadata.Name);
        await Eventually.Until(() => cluster.Board.GetDetail(cluster.Namespace, sharing)?.Deployment is not null && cluster.Board.GetDetail(cluster.Namespace, unrelated)?.Deployment is not null,
            RestartFixture.Timeout, $"{sharing} and {unrelated} on the board");
        var before = await cluster.Api.CoreV1.ReadNamespacedConfigMapAsync(config, cluster.Namespace);
        var sharingGeneration = (await cluster.ReadAsync(sharing)).Metadata.Generation;

        var plan = await PlanAsync(agent, Request(config, "KOSMOS_LOG_LEVEL", "debug"));

        Assert.Contains($"configmap {config} (KOSMOS_LOG_LEVEL) is also read by: {sharing} — they will see the new value at their next restart", plan.Warnings);
        Assert.DoesNotContain(plan.Warnings, w => w.Contains(unrelated, StringComparison.Ordinal) || w.Contains(agent, StringComparison.Ordinal));
        Assert.Equal(before.Metadata.ResourceVersion, (await cluster.Api.CoreV1.ReadNamespacedConfigMapAsync(config, cluster.Namespace)).Metadata.ResourceVersion);
        Assert.Equal(sharingGeneration, (await cluster.ReadAsync(sharing)).Metadata.Generation);
    }

    // ConfigMaps are not Secrets, but a key named like one (a token someone put in a ConfigMap) is not shown in the preview.
    [Fact]
    public async Task Plan_SecretLookingKey_PreviewHidesOldAndNewValue()
    {
        var (agent, config) = await CrashingAgentAsync();
        await cluster.Api.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"KOSMOS_API_TOKEN":"old-PLANTED"}}""", V1Patch.PatchType.MergePatch),
            config, cluster.Namespace);

        var plan = await PlanAsync(agent, Request(config, "KOSMOS_API_TOKEN", "new-PLANTED"));
        var same = await Assert.ThrowsAsync<ActionException>(() => PlanAsync(agent, Request(config, "KOSMOS_API_TOKEN", "old-PLANTED")));

        Assert.Equal($"configmap/{config} data.KOSMOS_API_TOKEN: (hidden) → (hidden)", Assert.Single(plan.Changes).ToString());
        var shown = string.Join('\n', plan.KubectlEquivalent, plan.ChangesText, string.Join('\n', plan.Steps), plan.Request.ToString(), same.Message);
        Assert.DoesNotContain("PLANTED", shown, StringComparison.Ordinal);
        Assert.Equal($"Nothing would change: configmap {config} already has KOSMOS_API_TOKEN=(hidden)", same.Message);
        Assert.Equal("old-PLANTED", (await cluster.Api.CoreV1.ReadNamespacedConfigMapAsync(config, cluster.Namespace)).Data["KOSMOS_API_TOKEN"]);
    }

    [Fact]
    public async Task ReadConfiguration_ImportedAndMissingConfigMaps_ValuesFromTheClusterAndMissingFlagged()
    {
        var (agent, config) = await CrashingAgentAsync();
        var missing = "missing-" + Guid.NewGuid().ToString("N")[..6];
        var broken = await cluster.CreateAgentAsync(waitReady: false, envFromConfigMap: missing);
        var reader = new ClusterAgentConfiguration(cluster.Api);

        var states = await reader.ReadAsync(new AgentRef(cluster.Namespace, agent), cluster.Board.GetDetail(cluster.Namespace, agent)!.Deployment!.Template, CancellationToken.None);
        await Eventually.Until(() => cluster.Board.GetDetail(cluster.Namespace, broken)?.Deployment is not null, RestartFixture.Timeout, $"{broken} on the board");
        var none = await reader.ReadAsync(new AgentRef(cluster.Namespace, broken), cluster.Board.GetDetail(cluster.Namespace, broken)!.Deployment!.Template, CancellationToken.None);

        var state = Assert.Single(states);
        Assert.Equal((config, true), (state.Source.Name, state.Exists));
        Assert.Equal([("KOSMOS_LOG_LEVEL", "info"), ("KOSMOS_MODEL_URL", "http://model-gateway:8000/v1")], state.Keys.Select(k => (k.Key, k.Value)));
        Assert.Equal((await cluster.Api.CoreV1.ReadNamespacedConfigMapAsync(config, cluster.Namespace)).Metadata.ResourceVersion, state.ResourceVersion);
        var gone = Assert.Single(none);
        Assert.True(gone.IsMissing);
        Assert.Null(gone.Error);
    }

    private Task<ActionPlan> PlanAsync(string agent, ActionRequest request) =>
        Handler.PlanAsync(new AgentRef(cluster.Namespace, agent), request, expected: null, CancellationToken.None);

    private static ActionRequest Request(string configMap, string key, string value) => new SetConfigKeyRequest(configMap, key, value).ToActionRequest();

    private async Task<(string Agent, string ConfigMap)> CrashingAgentAsync()
    {
        var config = "config-" + Guid.NewGuid().ToString("N")[..8];
        await cluster.CreateConfigMapAsync(config, ("KOSMOS_MODEL_URL", "http://model-gateway:8000/v1"), ("KOSMOS_LOG_LEVEL", "info"));
        var agent = await cluster.CreateAgentAsync(waitReady: false, requiredEnv: Required, envFromConfigMap: config);
        await Eventually.Until(() => cluster.Board.GetDetail(cluster.Namespace, agent)?.Summary.Health.State == HealthState.CrashLoopBackOff,
            RestartFixture.Timeout, $"{agent} crash-looping on the board");
        return (agent, config);
    }
}
