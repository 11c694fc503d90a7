using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kosmos.KubeSim.Tests.Controllers;

/// <summary>
/// The least a kubelet does for the controllers, done over the HTTP API as an outside party: "schedules" pods whose
/// nodeSelector its node satisfies (spec.nodeName), reports them Running and Ready through pods/status, and removes
/// pods marked with a deletionTimestamp. Stands in only while the simulator has no kubelet of its own; a pod with a
/// nodeSelector this node lacks stays Pending for ever, as with a real scheduler.
/// </summary>
internal sealed class FakeKubelet : IAsyncDisposable
{
    public const string NodeName = "fake-node";

    /// <summary>A nodeSelector no node satisfies: pods with it never become ready.</summary>
    public static readonly IReadOnlyDictionary<string, string> UnschedulableSelector = new Dictionary<string, string> { ["kosmos.test/no-such-node"] = "true" };

    private static readonly Dictionary<string, string> NodeLabels = new() { ["kubernetes.io/hostname"] = NodeName, ["kubernetes.io/os"] = "linux" };

    private readonly IKubernetes _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile bool _finishDeletions = true;
    private int _podIp;

    private FakeKubelet(IKubernetes client)
    {
        _client = client;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public static FakeKubelet Start(IKubernetes client) => new(client);

    /// <summary>Stops (false) or resumes (true) removing terminating pods; resuming removes those left waiting.</summary>
    public async Task FinishDeletionsAsync(bool finish)
    {
        _finishDeletions = finish;
        if (finish)
        {
            foreach (var pod in (await _client.CoreV1.ListPodForAllNamespacesAsync()).Items)
            {
                await HandleAsync(pod, _stop.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var list = await _client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct);
                foreach (var pod in list.Items)
                {
                    await HandleAsync(pod, ct);
                }

                await foreach (var (type, pod) in _client.CoreV1.WatchListPodForAllNamespacesAsync(
                    resourceVersion: list.Metadata.ResourceVersion, allowWatchBookmarks: true, cancellationToken: ct))
                {
                    if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        await HandleAsync(pod, ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException or KubernetesException)
            {
                // Relist after a broken watch, as any client must.
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
        }
    }

    private async Task HandleAsync(V1Pod pod, CancellationToken ct)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var name = pod.Metadata.Name;
        try
        {
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                if (_finishDeletions)
                {
                    await _client.CoreV1.DeleteNamespacedPodAsync(name, ns, gracePeriodSeconds: 0, cancellationToken: ct);
                }

                return;
            }

            if (string.IsNullOrEmpty(pod.Spec.NodeName))
            {
                if ((pod.Spec.NodeSelector ?? new Dictionary<string, string>()).All(s => NodeLabels.GetValueOrDefault(s.Key) == s.Value))
                {
                    var bind = new JsonObject { ["spec"] = new JsonObject { ["nodeName"] = NodeName } };
                    await _client.CoreV1.PatchNamespacedPodAsync(new V1Patch(bind.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: ct);
                }

                return;
            }

            if (pod.Spec.NodeName == NodeName && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") != true)
            {
                await _client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(RunningStatus(pod).ToJsonString(), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: ct);
            }
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Deleted or changed meanwhile: the next event tells what is left to do.
        }
    }

    private JsonObject RunningStatus(V1Pod pod)
    {
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var conditions = new JsonArray();
        foreach (var type in new[] { "PodScheduled", "Initialized", "ContainersReady", "Ready" })
        {
            conditions.Add(new JsonObject { ["type"] = type, ["status"] = "True", ["lastTransitionTime"] = now });
        }

        var containers = new JsonArray();
        foreach (var c in pod.Spec.Containers ?? [])
        {
            containers.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["image"] = c.Image,
                ["ready"] = true,
                ["started"] = true,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
            });
        }

        return new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["hostIP"] = "10.0.0.1",
                ["podIP"] = $"10.244.0.{Interlocked.Increment(ref _podIp) % 250 + 2}",
                ["startTime"] = now,
                ["conditions"] = conditions,
                ["containerStatuses"] = containers,
            },
        };
    }
}
