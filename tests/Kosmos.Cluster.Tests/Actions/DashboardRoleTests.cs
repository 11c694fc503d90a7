using System.Text.Json;
using k8s;
using k8s.Models;
using Kosmos.Cluster.Actions;
using Kosmos.Cluster.Board;
using Kosmos.Cluster.Connection;
using Kosmos.Cluster.Logs;
using Kosmos.Cluster.Tests.Watching.Support;
using Kosmos.Cluster.Watching;
using Kosmos.KubeSim;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Kosmos.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kosmos.Cluster.Tests.Actions;

/// <summary>
/// Least privilege, proven: the dashboard's own code (watch cache, board, logs, actions) runs with the service account token
/// of deploy/dashboard/base/rbac.yaml against the simulator's RBAC (the demo fleet in namespace kosmos, every agent healthy).
/// Enough: every kind syncs and every action succeeds, with no request refused. Not too much: every (API group, resource,
/// verb) the Role grants was authorised at least once (the simulator records each decision).
/// </summary>
public sealed class DashboardRoleTests(DashboardRoleTests.Cluster cluster) : IClassFixture<DashboardRoleTests.Cluster>
{
    private const string Ns = "kosmos";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task DashboardUnderItsRole_EveryWatchAndActionSucceeds_AndEveryRuleIsUsed()
    {
        await cluster.Sim.PostAsync("/sim/authorizations/reset", null);
        using var api = cluster.NewClient(RbacSimulatorFixture.DashboardToken);

        // Watches: one list+watch per kind, all synced (a refused kind would be Degraded and the dashboard not ready).
        await using var cache = new ClusterCache(cluster.NewClient(RbacSimulatorFixture.DashboardToken), Options.Create(CacheHarness.FastOptions(Ns)),
            NullLogger<ClusterCache>.Instance);
        await cache.StartAsync(CancellationToken.None);
        using (var synced = new CancellationTokenSource(Timeout))
        {
            await cache.WaitForSyncAsync(synced.Token);
        }

        Assert.All(cache.Status.Reflectors, r => Assert.True(r.State == CacheSyncState.Synced, $"{r.Kind}: {r.State} {r.Reason} {r.LastError}"));
        Assert.Equal(ClusterResourceKinds.All.Order(), cache.Status.Reflectors.Select(r => r.Kind).Order());
        await using var board = new AgentBoard(cache, new ClusterIdentity("simulated", cluster.Url.ToString(), IsSimulated: true), TimeProvider.System,
            NullLogger<AgentBoard>.Instance);
        await board.StartAsync(CancellationToken.None);
        await Eventually.Until(() => board.GetDetail(Ns, "planner")?.Pods.Any(p => p.IsReady) == true
            && board.GetDetail(Ns, "archivist")?.Pods.Any(p => p.IsReady) == true, Timeout, "planner and archivist ready on the board");

        // The agent page's logs.
        var plannerPod = board.GetDetail(Ns, "planner")!.Pods.First(p => p.IsReady).Name;
        var logs = await new ClusterPodLogs(api, NullLogger<ClusterPodLogs>.Instance).ReadAsync(Ns, plannerPod, "agent", previous: false, tailLines: 5, CancellationToken.None);
        Assert.Null(logs.Error);

        // The actions the dashboard has: restart, set resources (preview, apply, verify).
        var restart = new RestartAgentAction(api, board, TimeProvider.System);
        var restarted = await restart.ApplyAsync(await restart.PlanAsync(new AgentRef(Ns, "planner"), ActionRequest.None, null, CancellationToken.None), CancellationToken.None);
        var restartVerified = await restart.VerifyAsync(restarted, progress: null, Timeout, CancellationToken.None);
        Assert.True(restartVerified.Verified, restartVerified.Detail);
        var setResources = new SetResourcesAction(api, board, TimeProvider.System, new SetResourcesSettings(ResourceBounds.Default, TimeSpan.FromSeconds(1)));
        var request = new SetResourcesRequest("agent", "1Gi", "512Mi", null, null).ToActionRequest();
        var set = await setResources.ApplyAsync(await setResources.PlanAsync(new AgentRef(Ns, "archivist"), request, null, CancellationToken.None), CancellationToken.None);
        var setVerified = await setResources.VerifyAsync(set, progress: null, Timeout, CancellationToken.None);
        Assert.True(setVerified.Verified, setVerified.Detail);

        // restore-snapshot (issue 10), the whole plan under the Role: safety export, scale to 0, claim from the snapshot,
        // volume re-pointed, scaled back, verified by the agent's own export.
        await Eventually.Until(() => board.GetDetail(Ns, "archivist")?.VolumeSnapshots.Any(v => v.Name == "archivist-state-nightly" && v.CanRestore) == true,
            Timeout, "archivist-state-nightly ready on the board");
        var restore = new RestoreSnapshotAction(api, board, new Kosmos.Cluster.Exec.PodExec(api), StateSettings.Default, TimeProvider.System);
        var restorePlan = await restore.PlanAsync(new AgentRef(Ns, "archivist"), RestoreSnapshot.Request("archivist-state-nightly"), null, CancellationToken.None);
        var restored = await ((IActionHandler)restore).ApplyAsync(restorePlan, new NoJournal(), CancellationToken.None);
        var restoreVerified = await restore.VerifyAsync(restored, progress: null, Timeout, CancellationToken.None);
        Assert.True(restoreVerified.Verified, restoreVerified.Detail);
        Assert.NotNull(restoreVerified.Artifact);

        await UpcomingActionCallsAsync(api, board);

        // reset (issue 9), the whole plan under the Role: the claim read, a safety snapshot created and read until readyToUse,
        // the claim deleted, every pod deleted, the manifests applied again (Secrets kept: the Role grants nothing on them),
        // verified with the claim Bound again.
        var reset = new ResetAction(api, board, TimeProvider.System, new ResetSettings(Path.Combine(Cluster.RepositoryRoot(), "deploy", "agents")));
        var resetPlan = await reset.PlanAsync(new AgentRef(Ns, "planner"), Reset.Request(deleteClaim: true), null, CancellationToken.None);
        // The safety snapshot is taken with the class of the claim's own snapshots (a cluster may have no default class).
        Assert.Contains(resetPlan.Changes, c => c.Path.StartsWith("volumesnapshot/planner-state-reset-", StringComparison.Ordinal)
            && c.After!.Contains("class csi-hostpath-snapclass", StringComparison.Ordinal));
        Assert.DoesNotContain(resetPlan.Changes, c => c.Path.StartsWith("secret/", StringComparison.Ordinal));
        var resetDone = await reset.ApplyAsync(resetPlan, new NoJournal(), CancellationToken.None);
        var resetVerified = await reset.VerifyAsync(resetDone, progress: null, Timeout, CancellationToken.None);
        Assert.True(resetVerified.Verified, resetVerified.Detail);
        var safety = resetPlan.Changes.First(c => c.Path.StartsWith("volumesnapshot/", StringComparison.Ordinal)).Path["volumesnapshot/".Length..];
        var taken = (JsonElement)await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync("snapshot.storage.k8s.io", "v1", Ns, "volumesnapshots", safety);
        Assert.Equal("csi-hostpath-snapclass", taken.GetProperty("spec").GetProperty("volumeSnapshotClassName").GetString());

        var decisions = await DecisionsAsync();
        var refused = decisions.Where(d => !d.Allowed).Select(d => d.Key).ToList();
        Assert.True(refused.Count == 0, "refused: " + string.Join(", ", refused));
        var used = decisions.Where(d => d.Allowed).Select(d => d.Key).ToHashSet();
        var granted = await GrantedAsync();
        var unused = granted.Where(g => !used.Contains(g)).ToList();
        Assert.True(unused.Count == 0, "granted but never used: " + string.Join(", ", unused) + "; used: " + string.Join(", ", used.Order()));
    }

    [Fact]
    public async Task Role_IsNamespacedAndNeverGrantsSecretsOrWildcards()
    {
        var role = await cluster.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("kosmos-dashboard", Ns);
        var bindings = await cluster.Client.RbacAuthorizationV1.ListClusterRoleBindingAsync();

        Assert.DoesNotContain(role.Rules, r => r.Resources.Any(res => res == "*" || res.StartsWith("secrets", StringComparison.Ordinal) || res.StartsWith("*/", StringComparison.Ordinal)));
        Assert.DoesNotContain(role.Rules, r => r.Verbs.Contains("*") || r.ApiGroups.Contains("*") || r.NonResourceURLs?.Count > 0);
        Assert.DoesNotContain(bindings.Items, b => b.Subjects?.Any(s => s.Name == "kosmos-dashboard") == true);
        using var api = cluster.NewClient(RbacSimulatorFixture.DashboardToken);
        var secret = await api.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(Review("get", "secrets", Ns));
        var clusterWide = await api.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(Review("list", "pods", ns: null));
        Assert.False(secret.Status.Allowed);
        Assert.False(clusterWide.Status.Allowed);
    }

    [Fact]
    public async Task ForbiddenAnswer_ReachesThePersonNamingWhatIsMissing()
    {
        // ada has no role in kosmos: what a dashboard with a Role missing a rule meets.
        using var api = cluster.NewClient(RbacSimulatorFixture.AdaToken);
        await using var cache = new ClusterCache(cluster.NewClient(RbacSimulatorFixture.DashboardToken), Options.Create(CacheHarness.FastOptions(Ns)),
            NullLogger<ClusterCache>.Instance);
        await cache.StartAsync(CancellationToken.None);
        using (var synced = new CancellationTokenSource(Timeout))
        {
            await cache.WaitForSyncAsync(synced.Token);
        }

        await using var board = new AgentBoard(cache, new ClusterIdentity("simulated", cluster.Url.ToString(), IsSimulated: true), TimeProvider.System,
            NullLogger<AgentBoard>.Instance);
        await board.StartAsync(CancellationToken.None);
        await Eventually.Until(() => board.GetDetail(Ns, "planner") is not null, Timeout, "planner on the board");
        var before = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("planner", Ns);

        var ex = await Assert.ThrowsAsync<ActionException>(() =>
            new RestartAgentAction(api, board, TimeProvider.System).PlanAsync(new AgentRef(Ns, "planner"), ActionRequest.None, null, CancellationToken.None));

        Assert.Equal(ActionFailure.Unavailable, ex.Failure);
        Assert.Contains("the dashboard's Kubernetes identity ada is not allowed to get deployments (API group apps) in namespace kosmos, so nothing was changed. "
            + "Grant it in the dashboard's Role (deploy/dashboard/base/rbac.yaml) or ask a cluster administrator.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before.Metadata.ResourceVersion, (await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("planner", Ns)).Metadata.ResourceVersion);
    }

    /// <summary>
    /// Stand-ins, call for call, for the actions being added beside this test (issues 9, 10, 13): until they land, the Role's
    /// rules for them are exercised by the API calls those actions make, with the same token. Replace each with the action.
    /// </summary>
    private static async Task UpcomingActionCallsAsync(IKubernetes api, AgentBoard board)
    {
        // restart-pod (issue 9): read the pod, delete it.
        var pod = board.GetDetail(Ns, "planner")!.Pods.First(p => !p.IsTerminating).Name;
        await api.CoreV1.ReadNamespacedPodAsync(pod, Ns);
        await api.CoreV1.DeleteNamespacedPodAsync(pod, Ns);

        // Every applied action: a Normal/KosmosAction Event on the Deployment (issue 9).
        var deployment = await api.AppsV1.ReadNamespacedDeploymentAsync("planner", Ns);
        await api.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = "planner." },
            InvolvedObject = new V1ObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "planner", NamespaceProperty = Ns, Uid = deployment.Metadata.Uid },
            Type = "Normal",
            Reason = "KosmosAction",
            Message = "restart-pod by ada (test)",
            Source = new V1EventSource { Component = "kosmos-dashboard" },
        }, Ns);

        // export-state (issue 10): exec the agent's own export in a ready pod.
        // The pod deleted above may still look ready on the board for a moment (its deletion not yet watched): an exec
        // into it answers 404, so ask again with the board's next ready pod.
        await Eventually.Until(async () =>
        {
            var ready = board.GetDetail(Ns, "planner")?.Pods.FirstOrDefault(p => p.IsReady && !p.IsTerminating)?.Name;
            if (ready is null)
            {
                return false;
            }

            try
            {
                return await api.NamespacedPodExecAsync(ready, Ns, "agent", ["python", "-m", "kosmos.tools.export_state", "--output", "/tmp/state.json"], false,
                    (_, stdout, _) => stdout.CopyToAsync(Stream.Null), CancellationToken.None) == 0;
            }
            catch (System.Net.WebSockets.WebSocketException ex) when (ex.Message.Contains("404", StringComparison.Ordinal))
            {
                return false;
            }
        }, Timeout, "export_state run in a ready planner pod (exit 0)");

        // reset (issue 9): a safety VolumeSnapshot of the claim; restore-snapshot (issue 10): a claim from a snapshot;
        // reset: delete a claim.
        var snapshotName = "planner-state-safety-" + Guid.NewGuid().ToString("N")[..6];
        await api.CustomObjects.CreateNamespacedCustomObjectAsync(new
        {
            apiVersion = "snapshot.storage.k8s.io/v1",
            kind = "VolumeSnapshot",
            metadata = new { name = snapshotName },
            spec = new { source = new { persistentVolumeClaimName = "planner-state" } },
        }, "snapshot.storage.k8s.io", "v1", Ns, "volumesnapshots");
        var claim = "planner-state-restored-" + Guid.NewGuid().ToString("N")[..6];
        await api.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = claim },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("2Gi") } },
                DataSource = new V1TypedLocalObjectReference { ApiGroup = "snapshot.storage.k8s.io", Kind = "VolumeSnapshot", Name = snapshotName },
            },
        }, Ns);
        await api.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(claim, Ns);

        // set-config-key (issue 13): one key of a ConfigMap the agent reads (get, dry-run patch, patch), then its restart.
        var setConfigKey = new SetConfigKeyAction(api, board, TimeProvider.System);
        var configPlan = await setConfigKey.PlanAsync(new AgentRef(Ns, "planner"), new SetConfigKeyRequest("planner-config", "log-level", "debug").ToActionRequest(),
            null, CancellationToken.None);
        var configured = await setConfigKey.ApplyAsync(configPlan, CancellationToken.None);
        var configVerified = await setConfigKey.VerifyAsync(configured, progress: null, Timeout, CancellationToken.None);
        Assert.True(configVerified.Verified, configVerified.Detail);
    }

    private static V1SelfSubjectAccessReview Review(string verb, string resource, string? ns) => new()
    {
        Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = new V1ResourceAttributes { Verb = verb, Resource = resource, NamespaceProperty = ns } },
    };

    private async Task<IReadOnlyList<(string Key, bool Allowed)>> DecisionsAsync()
    {
        using var response = await cluster.Sim.GetAsync($"/sim/authorizations?user={Uri.EscapeDataString(RbacSimulatorFixture.Dashboard)}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("decisions").EnumerateArray()
            .Select(d => (Key(d.GetProperty("apiGroup").GetString()!, d.GetProperty("resource").GetString()!, d.GetProperty("verb").GetString()!), d.GetProperty("allowed").GetBoolean()))
            .ToList();
    }

    // Every (group, resource, verb) the Role as applied grants.
    private async Task<IReadOnlyList<string>> GrantedAsync()
    {
        var role = await cluster.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("kosmos-dashboard", Ns);
        return role.Rules.SelectMany(r => r.ApiGroups.SelectMany(g => r.Resources.SelectMany(res => r.Verbs.Select(v => Key(g, res, v))))).Distinct().ToList();
    }

    private static string Key(string group, string resource, string verb) => $"{verb} {(group.Length == 0 ? "" : group + "/")}{resource}";

    /// <summary>The RBAC simulator with the demo fleet (every agent healthy) and deploy/dashboard/base/rbac.yaml applied in kosmos.</summary>
    public sealed class Cluster : RbacSimulatorFixture, IAsyncLifetime
    {
        public new async Task InitializeAsync()
        {
            await base.InitializeAsync();
            (await Kubectl.RunAsync("apply", "-n", Ns, "-f", Path.Combine(RepositoryRoot(), "deploy", "dashboard", "base", "rbac.yaml"))).EnsureSuccess();
        }

        public new Task DisposeAsync() => base.DisposeAsync();

        protected override void Configure(SimulatorOptions options)
        {
            base.Configure(options);
            options.SeedDemoFleet = true;
            options.DemoBehaviours = false;
        }

        internal static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "KosmosDashboard.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("KosmosDashboard.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private sealed class NoJournal : IStepJournal
    {
        public Task StartingAsync(int index, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DoneAsync(int index, string detail, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
