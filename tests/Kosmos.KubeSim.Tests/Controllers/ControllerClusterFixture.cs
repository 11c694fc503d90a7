using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.KubeSim;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Controllers;

/// <summary>
/// A simulator with the controllers running, no demo fleet, a fake clock the tests advance, and — while this branch has no kubelet —
/// the <see cref="FakeKubelet"/> making scheduled pods ready. Each test works in a namespace of its own.
/// </summary>
public sealed class ControllerClusterFixture : SimulatorFixture, IAsyncLifetime
{
    /// <summary>How far the fake clock moves between two looks at the cluster.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    internal FakeKubelet? Kubelet { get; private set; }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (Simulator.Runtime is null)
        {
            Kubelet = FakeKubelet.Start(NewClient());
        }
    }

    public new async Task DisposeAsync()
    {
        if (Kubelet is not null)
        {
            await Kubelet.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>
    /// Keeps pods the controllers delete in Terminating until the returned scope ends. With a real kubelet this relies
    /// on it honouring a long terminationGracePeriodSeconds, which the tests using it set.
    /// </summary>
    public async Task<IAsyncDisposable> HoldTerminatingPodsAsync()
    {
        if (Kubelet is not null)
        {
            await Kubelet.FinishDeletionsAsync(false);
        }

        return new Release(Kubelet);
    }

    /// <summary>Probes until done, advancing the cluster's clock between tries (<see cref="SimulatedTime.Until{T}"/>).</summary>
    public Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what) => SimulatedTime.Until(Clock!, Step, probe, done, what);

    public Task Until(Func<Task<bool>> condition, string what) => SimulatedTime.Until(Clock!, Step, condition, ok => ok, what);

    /// <summary>Advances the cluster's clock until the work (kubectl rollout status, a delete that waits) completes.</summary>
    public Task<T> While<T>(Task<T> work, string what) => SimulatedTime.While(Clock!, Step, work, what);

    /// <summary>Waits until a deployment's rollout is complete as `kubectl rollout status` judges it.</summary>
    public Task<V1Deployment> RolledOutAsync(string ns, string name) =>
        Until(() => Client.AppsV1.ReadNamespacedDeploymentAsync(name, ns), d =>
                d.Status?.ObservedGeneration >= d.Metadata.Generation
                && d.Status.UpdatedReplicas == d.Spec.Replicas
                && (d.Status.Replicas ?? 0) == d.Spec.Replicas
                && (d.Status.AvailableReplicas ?? 0) == d.Spec.Replicas,
            $"deployment {ns}/{name} to roll out");

    public async Task<string> NewNamespaceAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 9, 63)];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    /// <summary>GET of any API path as raw JSON (null on 404): for fields the typed client does not model.</summary>
    public async Task<JsonObject?> GetJsonAsync(string path)
    {
        using var response = await Sim.GetAsync(path);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    protected override void Configure(SimulatorOptions options)
    {
        base.Configure(options);
        options.SeedDemoFleet = false;
        options.DemoBehaviours = false;
        options.RunControllers = true;
        UseFakeClock(options);
    }

    private sealed class Release(FakeKubelet? kubelet) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (kubelet is not null)
            {
                await kubelet.FinishDeletionsAsync(true);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ControllerClusterCollection : ICollectionFixture<ControllerClusterFixture>
{
    public const string Name = "controller cluster";
}

/// <summary>Objects and reads the controller tests share.</summary>
internal static class Cluster
{
    public static V1Deployment Deployment(string ns, string name, int replicas, string image = "kosmos/agent:1.0",
        IDictionary<string, string>? nodeSelector = null, V1DeploymentStrategy? strategy = null, long? terminationGracePeriodSeconds = null) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = name } },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Strategy = strategy,
                Template = PodTemplate(name, image, nodeSelector, terminationGracePeriodSeconds),
            },
        };

    public static V1PodTemplateSpec PodTemplate(string app, string image = "kosmos/agent:1.0", IDictionary<string, string>? nodeSelector = null,
        long? terminationGracePeriodSeconds = null) => new()
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "agent", Image = image }],
                NodeSelector = nodeSelector,
                TerminationGracePeriodSeconds = terminationGracePeriodSeconds,
            },
        };

    public static async Task<List<V1ReplicaSet>> ReplicaSetsAsync(IKubernetes client, string ns, string app) =>
        [.. (await client.AppsV1.ListNamespacedReplicaSetAsync(ns, labelSelector: $"app={app}")).Items];

    public static async Task<List<V1Pod>> PodsAsync(IKubernetes client, string ns, string app) =>
        [.. (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"app={app}")).Items];

    public static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static async Task<List<Corev1Event>> EventsAsync(IKubernetes client, string ns, string involvedName) =>
        [.. (await client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: $"involvedObject.name={involvedName}")).Items];

    public static string Describe(object value) => JsonSerializer.Serialize(value);
}
