using System.Globalization;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.Benchmarks.Harness;

/// <summary>
/// Agents that really roll out: one Deployment each (one replica, RollingUpdate with maxSurge 1 / maxUnavailable 0, a
/// readiness probe like the demo fleet's coder), written to the store of a simulator whose controllers and kubelet run.
/// The agents behave as healthy programs (no demo behaviours): a restart is one new pod up, ready, then the old one gone.
/// </summary>
public sealed class ActionFleet
{
    public const string Image = "ghcr.io/kosmos-ai/action-agent:1.0.0";

    /// <summary>The readiness probe's initial delay and period, in simulated seconds (the demo fleet's coder has the same).</summary>
    public const int ReadinessDelaySeconds = 5;

    public const int ReadinessPeriodSeconds = 5;

    private readonly ObjectStore _store;

    private ActionFleet(ObjectStore store, string ns, IReadOnlyList<string> agents)
    {
        _store = store;
        Namespace = ns;
        Agents = agents;
    }

    public string Namespace { get; }

    public IReadOnlyList<string> Agents { get; }

    /// <summary>Deploys <paramref name="count"/> agents and waits until every one has its single pod ready and nothing else.</summary>
    public static async Task<ActionFleet> DeployAsync(ObjectStore store, string ns, int count, TimeSpan timeout, CancellationToken ct)
    {
        var agents = Enumerable.Range(0, count).Select(i => $"action-agent-{i:000}").ToList();
        foreach (var agent in agents)
        {
            store.Create(ResourceKinds.Deployments, Deployment(ns, agent));
        }

        var fleet = new ActionFleet(store, ns, agents);
        if (!await Waits.TryUntilAsync(() => agents.All(fleet.IsSettled), timeout, ct))
        {
            throw new TimeoutException($"the action fleet's {count} deployments were not all rolled out within {timeout}: " +
                string.Join(", ", agents.Where(a => !fleet.IsSettled(a))) + " not settled");
        }

        return fleet;
    }

    /// <summary>The agent's pods now (names).</summary>
    public IReadOnlyList<string> PodsOf(string agent) =>
        [.. _store.List(ResourceKinds.Pods, Namespace, p => App(p) == agent).Items.Select(p => p["metadata"]!["name"]!.GetValue<string>())];

    /// <summary>The restartedAt annotation of the agent's pod template, or null before its first restart.</summary>
    public string? RestartedAt(string agent) => RolloutObserver.RestartedAt(_store.Get(ResourceKinds.Deployments, Namespace, agent));

    /// <summary>Rolled out: the controller saw the latest generation, one replica updated, ready and available, and one pod.</summary>
    public bool IsSettled(string agent)
    {
        var deployment = _store.Get(ResourceKinds.Deployments, Namespace, agent);
        return deployment is not null && RolloutObserver.DeploymentSeen.From(0, deployment).IsComplete && PodsOf(agent).Count == 1;
    }

    internal static string? App(JsonObject pod) => pod["metadata"]?["labels"]?["app"]?.GetValue<string>();

    private static JsonObject Deployment(string ns, string agent) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject
        {
            ["name"] = agent,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { ["app"] = agent, ["kosmos.dev/component"] = "agent" },
        },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 1,
            ["revisionHistoryLimit"] = 5,
            ["progressDeadlineSeconds"] = 600,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = agent } },
            ["strategy"] = new JsonObject
            {
                ["type"] = "RollingUpdate",
                ["rollingUpdate"] = new JsonObject { ["maxSurge"] = 1, ["maxUnavailable"] = 0 },
            },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = agent } },
                ["spec"] = new JsonObject
                {
                    ["terminationGracePeriodSeconds"] = 30,
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "agent",
                        ["image"] = Image,
                        ["imagePullPolicy"] = "IfNotPresent",
                        ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 8080, ["protocol"] = "TCP" }),
                        ["resources"] = new JsonObject
                        {
                            ["requests"] = new JsonObject { ["cpu"] = "50m", ["memory"] = "64Mi" },
                            ["limits"] = new JsonObject { ["memory"] = "256Mi" },
                        },
                        ["readinessProbe"] = new JsonObject
                        {
                            ["httpGet"] = new JsonObject { ["path"] = "/readyz", ["port"] = "http" },
                            ["initialDelaySeconds"] = ReadinessDelaySeconds,
                            ["periodSeconds"] = ReadinessPeriodSeconds,
                            ["timeoutSeconds"] = 1,
                            ["failureThreshold"] = 3,
                        },
                    }),
                },
            },
        },
    };
}

/// <summary>
/// Watches the simulator's store (in process, not over HTTP) for one namespace's deployments and pods and timestamps every
/// event on <see cref="Clock"/> as it is read: when the API server persisted the restart's PATCH, when the new pod appeared
/// and became ready, when the old one was gone and when the deployment's status said the rollout was complete. Reading
/// adds the thread pool's hop (well under a millisecond when idle) to each stamp. Dispose to stop.
/// </summary>
public sealed class RolloutObserver : IAsyncDisposable
{
    private const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    private readonly List<DeploymentSeen> _deployments = [];
    private readonly List<PodSeen> _pods = [];
    private readonly WatchSubscription _deploymentWatch;
    private readonly WatchSubscription _podWatch;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loops;

    public RolloutObserver(ObjectStore store, string ns)
    {
        var from = store.CurrentResourceVersion;
        _deploymentWatch = store.Watch(ResourceKinds.Deployments, ns, from, isInternal: true);
        _podWatch = store.Watch(ResourceKinds.Pods, ns, from, isInternal: true);
        _loops = Task.WhenAll(
            ReadAsync(_deploymentWatch, e => DeploymentSeen.From(Clock.NowMs(), e.Object), _deployments),
            ReadAsync(_podWatch, e => PodSeen.From(Clock.NowMs(), e), _pods));
    }

    /// <summary>A deployment as one event showed it.</summary>
    public sealed record DeploymentSeen(double AtMs, string Name, string? RestartedAt, long Generation, long ObservedGeneration,
        long SpecReplicas, long Replicas, long Updated, long Ready, long Available)
    {
        /// <summary>What <c>kubectl rollout status</c> waits for: the latest generation observed and every replica updated, ready and available, no old one left.</summary>
        public bool IsComplete => ObservedGeneration >= Generation && Updated == SpecReplicas && Ready == SpecReplicas &&
            Available == SpecReplicas && Replicas == SpecReplicas;

        public static DeploymentSeen From(double atMs, JsonObject d)
        {
            var status = d["status"];
            return new DeploymentSeen(atMs, d["metadata"]!["name"]!.GetValue<string>(), RolloutObserver.RestartedAt(d),
                Long(d["metadata"]?["generation"]), Long(status?["observedGeneration"]), Long(d["spec"]?["replicas"]),
                Long(status?["replicas"]), Long(status?["updatedReplicas"]), Long(status?["readyReplicas"]), Long(status?["availableReplicas"]));
        }
    }

    /// <summary>A pod as one event showed it.</summary>
    public sealed record PodSeen(double AtMs, WatchEventType Type, string Name, string? App, bool Ready, bool Terminating)
    {
        public static PodSeen From(double atMs, WatchEvent e) => new(atMs, e.Type, e.Name, ActionFleet.App(e.Object),
            (e.Object["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True"),
            e.Object["metadata"]?["deletionTimestamp"] is not null);
    }

    /// <summary>One restart's rollout at the simulator, in <see cref="Clock"/> milliseconds; null where it did not happen (yet).</summary>
    public sealed record Rollout(double? PatchedAt, double? NewPodCreatedAt, double? NewPodReadyAt, double? OldPodTerminatingAt, double? OldPodsGoneAt, double? CompleteAt);

    public static string? RestartedAt(JsonObject? deployment) =>
        deployment?["spec"]?["template"]?["metadata"]?["annotations"]?[RestartedAtAnnotation]?.GetValue<string>();

    /// <summary>What was seen of <paramref name="agent"/>'s restart since its template's restartedAt was <paramref name="restartedBefore"/> and its pods were <paramref name="oldPods"/>.</summary>
    public Rollout RolloutOf(string agent, string? restartedBefore, IReadOnlyCollection<string> oldPods)
    {
        List<DeploymentSeen> deployments;
        List<PodSeen> pods;
        lock (_deployments)
        {
            deployments = [.. _deployments.Where(d => d.Name == agent)];
        }

        lock (_pods)
        {
            pods = [.. _pods.Where(p => p.App == agent)];
        }

        var patch = deployments.FirstOrDefault(d => d.RestartedAt is not null && d.RestartedAt != restartedBefore);
        if (patch is null)
        {
            return new Rollout(null, null, null, null, null, null);
        }

        var fresh = pods.Where(p => p.AtMs >= patch.AtMs && !oldPods.Contains(p.Name)).ToList();
        var old = pods.Where(p => oldPods.Contains(p.Name)).ToList();
        var oldGone = oldPods.All(name => old.Any(p => p.Name == name && p.Type == WatchEventType.Deleted))
            ? old.Where(p => p.Type == WatchEventType.Deleted).Max(p => p.AtMs)
            : (double?)null;
        var statusComplete = deployments.FirstOrDefault(d => d.AtMs >= patch.AtMs && d.Generation >= patch.Generation && d.IsComplete)?.AtMs;
        return new Rollout(
            patch.AtMs,
            fresh.FirstOrDefault(p => p.Type == WatchEventType.Added)?.AtMs,
            fresh.FirstOrDefault(p => p.Ready)?.AtMs,
            old.FirstOrDefault(p => p.Terminating)?.AtMs,
            oldGone,
            statusComplete is { } s && oldGone is { } g ? Math.Max(s, g) : null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _deploymentWatch.Dispose();
        _podWatch.Dispose();
        try
        {
            await _loops;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private static long Long(JsonNode? node) => node is null ? 0 : long.Parse(node.ToString(), CultureInfo.InvariantCulture);

    private async Task ReadAsync<T>(WatchSubscription watch, Func<WatchEvent, T> seen, List<T> log)
    {
        await foreach (var e in watch.Events.ReadAllAsync(_stop.Token))
        {
            var entry = seen(e);
            lock (log)
            {
                log.Add(entry);
            }
        }
    }
}
