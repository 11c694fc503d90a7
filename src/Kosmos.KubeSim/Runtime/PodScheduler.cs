using System.Text.Json.Nodes;
using System.Threading.Channels;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Controllers;
using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Runtime;

/// <summary>
/// default-scheduler for one node: binds pods without a node when their node selector matches, their claims are bound
/// and their requests fit what the node has left; otherwise marks them PodScheduled=False/Unschedulable with a
/// FailedScheduling event worded like the real scheduler's. Unschedulable pods are retried when capacity frees up, when
/// a claim changes, and every 5 simulated minutes. One loop; <see cref="Enqueue"/> and
/// <see cref="RetryUnschedulable"/> are thread-safe.
/// </summary>
internal sealed partial class PodScheduler(ObjectStore store, ScaledTimeProvider time, SimNode node, EventRecorder events, ILogger logger)
{
    private static readonly TimeSpan UnschedulableFlush = TimeSpan.FromMinutes(5);

    private readonly Channel<(string Ns, string Name)> _queue = Channel.CreateUnbounded<(string, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly HashSet<(string Ns, string Name)> _unschedulable = [];

    public void Enqueue(string ns, string name) => _queue.Writer.TryWrite((ns, name));

    public void RetryUnschedulable()
    {
        List<(string, string)> retry;
        lock (_gate)
        {
            retry = [.. _unschedulable];
            _unschedulable.Clear();
        }

        foreach (var key in retry)
        {
            _queue.Writer.TryWrite(key);
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var flush = FlushPeriodicallyAsync(ct);
        var claims = RetryOnClaimChangesAsync(ct);
        try
        {
            await foreach (var (ns, name) in _queue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    Schedule(ns, name);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogScheduleFailed(logger, ex, ns, name);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }

        await flush;
        await claims;
    }

    /// <summary>The scheduler's message for requests the node cannot hold, or null when they fit.</summary>
    public static string? InsufficientMessage(SimNode node, (long MilliCpu, long MemoryBytes) requests, (long MilliCpu, long MemoryBytes, int Pods) used)
    {
        var reasons = new List<string>();
        if (used.Pods + 1 > node.MaxPods)
        {
            reasons.Add("Too many pods");
        }

        if (requests.MilliCpu > 0 && used.MilliCpu + requests.MilliCpu > node.AllocatableMilliCpu)
        {
            reasons.Add("Insufficient cpu");
        }

        if (requests.MemoryBytes > 0 && used.MemoryBytes + requests.MemoryBytes > node.AllocatableMemoryBytes)
        {
            reasons.Add("Insufficient memory");
        }

        return reasons.Count == 0
            ? null
            : $"0/1 nodes are available: {string.Join(", ", reasons.Order(StringComparer.Ordinal).Select(r => "1 " + r))}. "
              + "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
    }

    private async Task FlushPeriodicallyAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(UnschedulableFlush, time, ct);
                RetryUnschedulable();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    // A claim that binds (or appears) may be what an unschedulable pod waits for, as the real scheduler's queue knows.
    private async Task RetryOnClaimChangesAsync(CancellationToken ct)
    {
        using var watch = store.Watch(ResourceKinds.PersistentVolumeClaims, null, Math.Max(1, store.CurrentResourceVersion), isInternal: true);
        try
        {
            await foreach (var e in watch.Events.ReadAllAsync(ct))
            {
                if (e.Type != WatchEventType.Deleted)
                {
                    RetryUnschedulable();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private bool MatchesNodeSelector(JsonObject pod) =>
        (pod["spec"]?["nodeSelector"] as JsonObject ?? []).All(p => node.Labels.TryGetValue(p.Key, out var value) && value == JsonValues.String(p.Value));

    private void Schedule(string ns, string name)
    {
        var pod = store.Get(ResourceKinds.Pods, ns, name);
        if (pod is null || PodSpec.NodeName(pod) is not null || PodSpec.IsDeleting(pod))
        {
            return;
        }

        var claims = (pod["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(v => JsonValues.String(v["persistentVolumeClaim"]?["claimName"]))
            .OfType<string>()
            .ToList();
        foreach (var claim in claims)
        {
            // Claims are bound by the volume controller (immediate binding); the scheduler only waits for it.
            var pvc = store.Get(ResourceKinds.PersistentVolumeClaims, ns, claim);
            var problem = pvc is null ? $"persistentvolumeclaim \"{claim}\" not found"
                : PodSpec.IsDeleting(pvc) ? $"persistentvolumeclaim \"{claim}\" is being deleted"
                : JsonValues.String(pvc["status"]?["phase"]) != "Bound" ? "pod has unbound immediate PersistentVolumeClaims"
                : null;
            if (problem is not null)
            {
                MarkUnschedulable(pod, $"0/1 nodes are available: {problem}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
                return;
            }
        }

        if (!MatchesNodeSelector(pod))
        {
            MarkUnschedulable(pod, "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. "
                + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
            return;
        }

        if (InsufficientMessage(node, PodSpec.Requests(pod), Usage()) is { } insufficient)
        {
            MarkUnschedulable(pod, insufficient);
            return;
        }

        var now = ObjectStore.Timestamp(time.GetUtcNow());
        var bound = false;
        try
        {
            store.Update(ResourceKinds.Pods, ns, name, p =>
            {
                if (PodSpec.Uid(p) != PodSpec.Uid(pod) || PodSpec.NodeName(p) is not null || PodSpec.IsDeleting(p))
                {
                    return p;
                }

                p["spec"]!["nodeName"] = node.Name;
                p["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(Scheduled(true, now, null)),
                    ["phase"] = "Pending",
                    ["qosClass"] = PodSpec.QosClass(p),
                };
                bound = true;
                return p;
            });
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            return;
        }

        if (bound)
        {
            lock (_gate)
            {
                _unschedulable.Remove((ns, name));
            }

            events.Normal(pod, "Scheduled", $"Successfully assigned {ns}/{name} to {node.Name}");
        }
    }

    private void MarkUnschedulable(JsonObject pod, string message)
    {
        var ns = PodSpec.Namespace(pod);
        var name = PodSpec.Name(pod);
        lock (_gate)
        {
            _unschedulable.Add((ns, name));
        }

        try
        {
            store.Update(ResourceKinds.Pods, ns, name, p =>
            {
                if (PodSpec.Uid(p) != PodSpec.Uid(pod) || PodSpec.NodeName(p) is not null)
                {
                    return p;
                }

                // The transition time stays while the pod remains unschedulable.
                var since = (p["status"]?["conditions"] as JsonArray ?? [])
                    .Where(c => JsonValues.String(c?["type"]) == "PodScheduled" && JsonValues.String(c?["status"]) == "False")
                    .Select(c => JsonValues.String(c?["lastTransitionTime"]))
                    .FirstOrDefault() ?? ObjectStore.Timestamp(time.GetUtcNow());
                p["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(Scheduled(false, since, message)),
                    ["phase"] = "Pending",
                    ["qosClass"] = PodSpec.QosClass(p),
                };
                return p;
            });
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            return;
        }

        events.Warning(pod, "FailedScheduling", message);
    }

    private static JsonObject Scheduled(bool scheduled, string since, string? message)
    {
        var condition = new JsonObject { ["lastProbeTime"] = null, ["lastTransitionTime"] = since };
        if (message is not null)
        {
            condition["message"] = message;
            condition["reason"] = "Unschedulable";
        }

        condition["status"] = scheduled ? "True" : "False";
        condition["type"] = "PodScheduled";
        return condition;
    }

    private (long MilliCpu, long MemoryBytes, int Pods) Usage()
    {
        var (pods, _) = store.List(ResourceKinds.Pods, null, p => PodSpec.NodeName(p) == node.Name && !PodSpec.IsTerminal(p));
        long cpu = 0, memory = 0;
        foreach (var p in pods)
        {
            var (c, m) = PodSpec.Requests(p);
            cpu += c;
            memory += m;
        }

        return (cpu, memory, pods.Count);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling {Namespace}/{Pod} failed")]
    private static partial void LogScheduleFailed(ILogger logger, Exception ex, string @namespace, string pod);
}
