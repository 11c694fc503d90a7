using k8s;
using k8s.Models;
using Kosmos.Cluster.Actions;
using Kosmos.Cluster.Board;
using Kosmos.Cluster.Connection;
using Kosmos.Cluster.Tests.Watching.Support;
using Kosmos.Cluster.Watching;
using Kosmos.KubeSim;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kosmos.Cluster.Tests.Actions;

/// <summary>
/// A simulated cluster without the demo fleet (controllers and kubelet running, 60× time), one namespace watched by a real
/// <see cref="ClusterCache"/> and <see cref="AgentBoard"/>, and the action handlers under test (restart, set resources) on
/// top. Each test creates its own agent (a Deployment) in that namespace, so tests never see each other's pods.
/// </summary>
public sealed class RestartFixture : IAsyncLifetime
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Simulator _sim = new();
    private ClusterCache? _cache;
    private AgentBoard? _board;

    public string Namespace { get; private set; } = "";

    public IKubernetes Api => _sim.Client;

    public HttpClient SimControl => _sim.Sim;

    public IAgentBoard Board => _board ?? throw new InvalidOperationException("not started");

    public RestartAgentAction Handler { get; private set; } = null!;

    /// <summary>Set resources, watching an OOM-killed agent's new pods for <see cref="OomWatch"/> after its rollout.</summary>
    public SetResourcesAction SetResources { get; private set; } = null!;

    public static TimeSpan OomWatch { get; } = TimeSpan.FromSeconds(2);

    public SetEnvAction SetEnv { get; private set; } = null!;

    public SetImageAction SetImage { get; private set; } = null!;

    public SetConfigKeyAction SetConfigKey { get; private set; } = null!;

    /// <summary>How many API requests of <paramref name="verb"/> on <paramref name="resource"/> the simulator served so far.</summary>
    public long Requests(string verb, string resource) => _sim.Simulator.Stats.Count(verb, resource);

    public async Task InitializeAsync()
    {
        await _sim.InitializeAsync();
        Namespace = await Api.NewNamespaceAsync();
        _cache = new ClusterCache(_sim.NewClient(), Options.Create(CacheHarness.FastOptions(Namespace)), NullLogger<ClusterCache>.Instance);
        await _cache.StartAsync(CancellationToken.None);
        using (var synced = new CancellationTokenSource(Timeout))
        {
            await _cache.WaitForSyncAsync(synced.Token);
        }

        _board = new AgentBoard(_cache, new ClusterIdentity("simulated", _sim.Url.ToString(), IsSimulated: true), TimeProvider.System, NullLogger<AgentBoard>.Instance);
        await _board.StartAsync(CancellationToken.None);
        Handler = new RestartAgentAction(_sim.NewClient(), _board, TimeProvider.System);
        SetResources = new SetResourcesAction(_sim.NewClient(), _board, TimeProvider.System, new SetResourcesSettings(ResourceBounds.Default, OomWatch));
        SetEnv = new SetEnvAction(_sim.NewClient(), _board, TimeProvider.System);
        SetImage = new SetImageAction(_sim.NewClient(), _board, TimeProvider.System);
        SetConfigKey = new SetConfigKeyAction(_sim.NewClient(), _board, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        if (_board is not null)
        {
            await _board.DisposeAsync();
        }

        if (_cache is not null)
        {
            await _cache.DisposeAsync();
        }

        await _sim.DisposeAsync();
    }

    /// <summary>Creates an agent with a unique name and waits until the board shows all its pods ready.</summary>
    /// <param name="memoryNeed">When set, the agent's program needs this much memory.</param>
    /// <param name="imageMissing">When true, the image <paramref name="tag"/> cannot be pulled.</param>
    /// <param name="requiredEnv">When set, the program exits 1 at start unless this variable is set (a crash loop).</param>
    /// <remarks>
    /// Behaviours are set before the Deployment exists: a pod that starts first would run as a healthy program, and a node that
    /// pulled the image once never pulls it again.
    /// </remarks>
    /// <param name="replicas">The Deployment's replicas.</param>
    /// <param name="tag">The image tag.</param>
    /// <param name="waitReady">Wait until the board shows every pod ready.</param>
    /// <param name="memoryLimit">The agent container's memory limit, when set.</param>
    /// <param name="memoryRequest">The agent container's memory request, when set.</param>
    /// <param name="envFromConfigMap">When set, the container imports this ConfigMap whole (envFrom).</param>
    public async Task<string> CreateAgentAsync(int replicas = 1, string tag = "1.0", bool waitReady = true, string? memoryLimit = null, string? memoryRequest = null,
        string? memoryNeed = null, bool imageMissing = false, string? requiredEnv = null, string? envFromConfigMap = null)
    {
        var resources = memoryLimit is null ? null : new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new(memoryLimit) },
            Requests = memoryRequest is null ? null : new Dictionary<string, ResourceQuantity> { ["memory"] = new(memoryRequest) },
        };
        var name = "agent-" + Guid.NewGuid().ToString("N")[..8];
        if (memoryNeed is not null)
        {
            await PutBehaviourAsync(name, $$$"""{"memory":{"baseline":"64Mi","need":"{{{memoryNeed}}}","growthSeconds":6}}""");
        }
        else if (requiredEnv is not null)
        {
            await PutBehaviourAsync(name, $$"""{"requiredEnv":["{{requiredEnv}}"]}""");
        }
        else if (imageMissing)
        {
            await PutBehaviourAsync(name, $$"""{"missingImageTags":["{{tag}}"]}""");
        }

        await Api.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec
                    {
                        TerminationGracePeriodSeconds = 1,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "agent",
                                Image = $"kosmos/{name}:{tag}",
                                Resources = resources,
                                EnvFrom = envFromConfigMap is null ? null : [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = envFromConfigMap } }],
                            },
                        ],
                    },
                },
            },
        }, Namespace);
        if (waitReady)
        {
            await Eventually.Until(() => ReadyPods(name) == replicas && Board.GetDetail(Namespace, name)?.Pods.Count == replicas,
                Timeout, $"{replicas} ready pods of {name}");
        }

        return name;
    }

    private async Task PutBehaviourAsync(string agent, string json)
    {
        using var body = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await SimControl.PutAsync($"/sim/agents/{agent}/behaviour", body);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Previews and applies at once, previewing again (a bounded number of times) on a 409. For agents whose pods are not
    /// settled (never ready, or crash-looping), whose status the controllers may write between the two, as they should.
    /// </summary>
    public async Task<AppliedAction> PlanAndApplyAsync(IActionHandler handler, string agent, ActionRequest request)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var plan = await handler.PlanAsync(new AgentRef(Namespace, agent), request, expected: null, CancellationToken.None);
                return await handler.ApplyAsync(plan, CancellationToken.None);
            }
            catch (ActionException ex) when (ex.Failure == ActionFailure.Conflict && attempt < 5)
            {
                // Preview again.
            }
        }
    }

    /// <summary>Creates a ConfigMap in the test namespace.</summary>
    public Task<V1ConfigMap> CreateConfigMapAsync(string name, params (string Key, string Value)[] data) =>
        Api.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = name },
            Data = data.ToDictionary(d => d.Key, d => d.Value),
        }, Namespace);

    public int ReadyPods(string agent) =>
        Board.GetDetail(Namespace, agent)?.Pods.Count(p => p.IsReady && !p.IsTerminating) ?? 0;

    public async Task<V1Deployment> ReadAsync(string agent) => await Api.AppsV1.ReadNamespacedDeploymentAsync(agent, Namespace);

    public async Task<IReadOnlyList<V1Pod>> PodsAsync(string agent) =>
        (await Api.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: $"app={agent}")).Items.ToList();

    private sealed class Simulator : SimulatorFixture
    {
        protected override void Configure(SimulatorOptions options)
        {
            base.Configure(options);
            options.SeedDemoFleet = false;
        }
    }
}
