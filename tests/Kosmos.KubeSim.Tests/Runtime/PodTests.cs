using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Runtime;

/// <summary>
/// What the kubelet tests share: bare agent pods (the Deployment controllers are not needed), behaviours set through
/// /sim/agents, and waits on the pod as the API serves it. Every agent name is unique to its test.
/// </summary>
public abstract class PodTests(KubeletFixture fixture) : IClassFixture<KubeletFixture>
{
    public const string Ns = "kosmos";

    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>How far the fake clock moves between two looks at the cluster: finer than every kubelet period (sandbox 1 s, probes 10 s).</summary>
    protected static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    protected KubeletFixture Fixture { get; } = fixture;

    /// <summary>The simulator's fake clock: the cluster's time moves only when a wait advances it.</summary>
    protected Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => Fixture.Clock!;

    protected IKubernetes Client => Fixture.Client;

    protected Kubectl Kubectl => Fixture.Kubectl;

    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    protected async Task SetBehaviourAsync(string agent, string json)
    {
        using var response = await Fixture.Sim.PutAsync($"/sim/agents/{agent}/behaviour", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"PUT behaviour of {agent}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>An agent pod: container "agent", label app=agent, KOSMOS_MODEL_ENDPOINT set; <paramref name="container"/> is merged into the container.</summary>
    protected static V1Pod AgentPod(string name, string agent, string image = "ghcr.io/kosmos-ai/test-agent:1.0.0", JsonObject? container = null, JsonObject? spec = null)
    {
        var agentContainer = new JsonObject
        {
            ["name"] = "agent",
            ["image"] = image,
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 8080 }),
            ["env"] = new JsonArray(new JsonObject { ["name"] = "KOSMOS_MODEL_ENDPOINT", ["value"] = "http://model-gateway.kosmos.svc:8000/v1" }),
        };
        foreach (var (key, value) in container ?? [])
        {
            agentContainer[key] = value?.DeepClone();
        }

        var podSpec = new JsonObject { ["containers"] = new JsonArray(agentContainer), ["terminationGracePeriodSeconds"] = 30 };
        foreach (var (key, value) in spec ?? [])
        {
            podSpec[key] = value?.DeepClone();
        }

        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["labels"] = new JsonObject { ["app"] = agent } },
            ["spec"] = podSpec,
        };
        return KubernetesJson.Deserialize<V1Pod>(pod.ToJsonString());
    }

    protected async Task<V1Pod> CreateAsync(V1Pod pod) => await Client.CoreV1.CreateNamespacedPodAsync(pod, Ns);

    protected Task<V1Pod> WaitForAsync(string pod, Func<V1Pod, bool> done, string what) =>
        SimulatedTime.Until(Clock, Step, () => Client.CoreV1.ReadNamespacedPodAsync(pod, Ns), p => done(p), $"{pod}: {what}");

    /// <summary>Runs kubectl until its output says what is wanted, advancing the cluster's clock between tries.</summary>
    protected Task<KubectlResult> WaitForKubectlAsync(Func<KubectlResult, bool> done, string what, params string[] args) =>
        SimulatedTime.Until(Clock, Step, () => Kubectl.RunAsync(args), done, what);

    protected async Task<IReadOnlyList<Corev1Event>> EventsAsync(string pod) =>
        (await Client.CoreV1.ListNamespacedEventAsync(Ns, fieldSelector: $"involvedObject.name={pod}")).Items.ToList();

    protected Task<IReadOnlyList<Corev1Event>> WaitForEventAsync(string pod, Func<Corev1Event, bool> match, string what) =>
        SimulatedTime.Until(Clock, Step, () => EventsAsync(pod), events => events.Any(match), $"{pod}: event {what}");

    protected async Task<string> LogAsync(string pod, bool previous = false)
    {
        await using var stream = await Client.CoreV1.ReadNamespacedPodLogAsync(pod, Ns, container: "agent", previous: previous);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>The log, or "" while the server still says the container is waiting to start (400).</summary>
    protected async Task<string> LogOrEmptyAsync(string pod, bool previous = false)
    {
        try
        {
            return await LogAsync(pod, previous);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.BadRequest)
        {
            return "";
        }
    }

    protected Task<string> WaitForLogAsync(string pod, string text, bool previous = false) =>
        SimulatedTime.Until(Clock, Step, () => LogOrEmptyAsync(pod, previous), l => l.Contains(text, StringComparison.Ordinal), $"{pod}: log line '{text}'");

    protected Task<bool> IsGoneAsync(string pod) => IsNotFoundAsync(() => Client.CoreV1.ReadNamespacedPodAsync(pod, Ns));

    /// <summary>Whether a read answers 404.</summary>
    protected static async Task<bool> IsNotFoundAsync(Func<Task> read)
    {
        try
        {
            await read();
            return false;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }
    }

    /// <summary>What the volume controller does once it provisioned a claim's volume.</summary>
    public static void BindClaim(Kosmos.KubeSim.Store.ObjectStore store, string claim) =>
        store.Update(Kosmos.KubeSim.Store.ResourceKinds.PersistentVolumeClaims, Ns, claim, pvc =>
        {
            pvc["spec"]!["volumeName"] = "pvc-" + pvc["metadata"]!["uid"]!.GetValue<string>();
            pvc["status"] = new JsonObject
            {
                ["phase"] = "Bound",
                ["accessModes"] = new JsonArray("ReadWriteOnce"),
                ["capacity"] = new JsonObject { ["storage"] = pvc["spec"]!["resources"]!["requests"]!["storage"]!.DeepClone() },
            };
            return pvc;
        });

    protected static V1ContainerStatus Agent(V1Pod pod) => pod.Status?.ContainerStatuses?.SingleOrDefault(c => c.Name == "agent") ?? new V1ContainerStatus();

    protected static bool Condition(V1Pod pod, string type, string status) =>
        pod.Status?.Conditions?.Any(c => c.Type == type && c.Status == status) == true;
}
