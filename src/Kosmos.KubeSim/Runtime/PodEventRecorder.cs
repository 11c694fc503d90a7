using System.Globalization;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Runtime;

/// <summary>Who an event is about: a pod, or one of its containers (<see cref="FieldPath"/> <c>spec.containers{name}</c>).</summary>
public readonly record struct EventTarget(string Namespace, string Name, string Uid, string? FieldPath = null)
{
    public EventTarget ForContainer(string container) => this with { FieldPath = $"spec.containers{{{container}}}" };
}

/// <summary>
/// Writes core/v1 Events about pods, as the kubelet and the scheduler do: named <c>&lt;pod&gt;.&lt;hex&gt;</c>, with
/// involvedObject, source, first/last timestamp and count. A repeat of the same event (same object, reason, message,
/// type and source) within 10 minutes bumps count and lastTimestamp on the existing Event instead of writing a new one,
/// like client-go's event correlator — so describe shows <c>(x4 over 2m)</c>. Thread-safe.
/// </summary>
public sealed class PodEventRecorder(ObjectStore store, TimeProvider time, string host)
{
    public const string Kubelet = "kubelet";
    public const string Scheduler = "default-scheduler";

    private static readonly TimeSpan AggregationWindow = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Uid, string? FieldPath, string Type, string Reason, string Message, string Component), (string Name, DateTimeOffset Last)> _recent = [];
    private long _sequence;

    public void Normal(EventTarget target, string reason, string message, string component = Kubelet) =>
        Record(target, "Normal", reason, message, component);

    public void Warning(EventTarget target, string reason, string message, string component = Kubelet) =>
        Record(target, "Warning", reason, message, component);

    public void Record(EventTarget target, string type, string reason, string message, string component = Kubelet)
    {
        var now = time.GetUtcNow();
        var key = (target.Uid, target.FieldPath, type, reason, message, component);
        lock (_gate)
        {
            if (_recent.TryGetValue(key, out var seen) && now - seen.Last < AggregationWindow && TryBump(target.Namespace, seen.Name, now))
            {
                _recent[key] = (seen.Name, now);
                return;
            }

            var name = $"{target.Name}.{(now.ToUnixTimeMilliseconds() * 1_000_000 + _sequence++ % 1_000_000).ToString("x", CultureInfo.InvariantCulture)}";
            var involved = new JsonObject
            {
                ["kind"] = "Pod",
                ["namespace"] = target.Namespace,
                ["name"] = target.Name,
                ["uid"] = target.Uid,
                ["apiVersion"] = "v1",
            };
            if (target.FieldPath is not null)
            {
                involved["fieldPath"] = target.FieldPath;
            }

            var stamp = ObjectStore.Timestamp(now);
            var source = new JsonObject { ["component"] = component };
            if (component == Kubelet)
            {
                source["host"] = host;
            }

            var ev = new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = target.Namespace },
                ["involvedObject"] = involved,
                ["reason"] = reason,
                ["message"] = message,
                ["source"] = source,
                ["firstTimestamp"] = stamp,
                ["lastTimestamp"] = stamp,
                ["count"] = 1,
                ["type"] = type,
                ["eventTime"] = null,
                ["reportingComponent"] = component,
                ["reportingInstance"] = component == Kubelet ? host : "",
            };
            try
            {
                store.Create(ResourceKinds.Events, ev);
                _recent[key] = (name, now);
            }
            catch (ApiException)
            {
                // The namespace's events are not ours to guarantee: a lost event is what a real cluster tolerates too.
            }
        }
    }

    /// <summary>Drops the aggregation state of a pod that is gone (its Events stay, as they do until their TTL).</summary>
    public void Forget(string uid)
    {
        lock (_gate)
        {
            foreach (var key in _recent.Keys.Where(k => k.Uid == uid).ToList())
            {
                _recent.Remove(key);
            }
        }
    }

    private bool TryBump(string ns, string name, DateTimeOffset now)
    {
        try
        {
            store.Update(ResourceKinds.Events, ns, name, ev =>
            {
                ev["count"] = (JsonValues.Long(ev["count"]) ?? 1) + 1;
                ev["lastTimestamp"] = ObjectStore.Timestamp(now);
                return ev;
            });
            return true;
        }
        catch (ApiException)
        {
            // Someone deleted the event: write a fresh one.
            return false;
        }
    }
}
