using System.Globalization;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// Writes core/v1 Events the way client-go's event recorder does: one Event named <c>&lt;object&gt;.&lt;hex nanoseconds&gt;</c>
/// in the involved object's namespace, with involvedObject, reason, message, type, source and first/last timestamps.
/// Recording the same (object, fieldPath, type, reason, message) again increments <c>count</c> and moves
/// <c>lastTimestamp</c> instead of adding an Event. One recorder per reporting component (and host, for a kubelet).
/// </summary>
/// <remarks>
/// Thread-safe; calls are synchronous and fast (in-memory store). Recording never throws: an event that cannot be
/// written is logged at Debug and dropped, as client-go drops it, so callers need no error handling.
/// </remarks>
public sealed class EventRecorder
{
    private const int MaxRemembered = 4096;
    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Namespace, string Name)> _recent = [];
    private readonly Queue<string> _recentOrder = new();
    private long _lastNanos;

    /// <param name="store">Where Events are stored.</param>
    /// <param name="time">Wall clock for first/last timestamps and names.</param>
    /// <param name="component">source.component / reportingComponent, e.g. <c>deployment-controller</c> or <c>kubelet</c>.</param>
    /// <param name="host">source.host / reportingInstance, e.g. the node name for a kubelet; null for controllers.</param>
    /// <param name="logger">Where failures to record go (Debug).</param>
    public EventRecorder(ObjectStore store, TimeProvider time, string component, string? host = null, ILogger? logger = null)
    {
        _store = store;
        _time = time;
        Component = component;
        Host = host;
        _logger = logger ?? NullLogger.Instance;
    }

    public string Component { get; }

    public string? Host { get; }

    public void Normal(JsonObject involvedObject, string reason, string message, string? fieldPath = null) =>
        Record(involvedObject, "Normal", reason, message, fieldPath);

    public void Warning(JsonObject involvedObject, string reason, string message, string? fieldPath = null) =>
        Record(involvedObject, "Warning", reason, message, fieldPath);

    /// <summary>
    /// Records an event about <paramref name="involvedObject"/> (any stored object: its kind, apiVersion, namespace,
    /// name, uid and resourceVersion are copied). <paramref name="type"/> is <c>Normal</c> or <c>Warning</c>;
    /// <paramref name="fieldPath"/> names a part of the object, e.g. <c>spec.containers{agent}</c>.
    /// Returns the stored Event, or null when it could not be written.
    /// </summary>
    public JsonObject? Record(JsonObject involvedObject, string type, string reason, string message, string? fieldPath = null)
    {
        var ns = Meta.Namespace(involvedObject) is { Length: > 0 } n ? n : "default";
        var uid = Meta.Uid(involvedObject);
        var dedupKey = string.Join('\u001f', ns, JsonValues.String(involvedObject["kind"]), Meta.Name(involvedObject), uid, fieldPath, type, reason, message);
        lock (_gate)
        {
            try
            {
                var now = ObjectStore.Timestamp(_time.GetUtcNow());
                if (_recent.TryGetValue(dedupKey, out var existing))
                {
                    try
                    {
                        return _store.Update(ResourceKinds.Events, existing.Namespace, existing.Name, e =>
                        {
                            e["count"] = (JsonValues.Long(e["count"]) ?? 1) + 1;
                            e["lastTimestamp"] = now;
                            return e;
                        });
                    }
                    catch (ApiException ex) when (ex.Code == 404)
                    {
                        // Someone deleted the event: start a new one.
                        _recent.Remove(dedupKey);
                    }
                }

                var created = CreateUnique(ns, involvedObject, type, reason, message, fieldPath, now);
                Remember(dedupKey, (ns, Meta.Name(created)));
                return created;
            }
            catch (Exception ex) when (ex is ApiException or InvalidOperationException)
            {
                LogRecordFailed(_logger, ex, reason, Meta.Key(involvedObject));
                return null;
            }
        }
    }

    private JsonObject CreateUnique(string ns, JsonObject involved, string type, string reason, string message, string? fieldPath, string now)
    {
        while (true)
        {
            // Names are <object>.<hex UnixNano> like client-go's; a strictly increasing clock keeps them unique.
            var nanos = Math.Max((_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100, _lastNanos + 1);
            _lastNanos = nanos;
            var involvedRef = new JsonObject
            {
                ["kind"] = JsonValues.String(involved["kind"]),
                ["name"] = Meta.Name(involved),
                ["uid"] = Meta.Uid(involved),
                ["apiVersion"] = JsonValues.String(involved["apiVersion"]),
                ["resourceVersion"] = JsonValues.String(JsonValues.At(involved, "metadata", "resourceVersion")),
            };
            if (Meta.Namespace(involved) is { Length: > 0 } involvedNs)
            {
                involvedRef["namespace"] = involvedNs;
            }

            if (fieldPath is not null)
            {
                involvedRef["fieldPath"] = fieldPath;
            }

            var source = new JsonObject { ["component"] = Component };
            if (Host is not null)
            {
                source["host"] = Host;
            }

            var ev = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{Meta.Name(involved)}.{nanos.ToString("x", CultureInfo.InvariantCulture)}",
                    ["namespace"] = ns,
                },
                ["involvedObject"] = involvedRef,
                ["reason"] = reason,
                ["message"] = message,
                ["source"] = source,
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["count"] = 1,
                ["type"] = type,
                ["eventTime"] = null,
                ["reportingComponent"] = Component,
                ["reportingInstance"] = Host ?? "",
            };
            try
            {
                return _store.Create(ResourceKinds.Events, ev);
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
                // Another recorder took this name in the same nanosecond: take the next one.
            }
        }
    }

    private void Remember(string key, (string Namespace, string Name) ev)
    {
        _recent[key] = ev;
        _recentOrder.Enqueue(key);
        while (_recentOrder.Count > MaxRemembered)
        {
            var old = _recentOrder.Dequeue();
            if (!_recentOrder.Contains(old))
            {
                _recent.Remove(old);
            }
        }
    }

    private static void LogRecordFailed(ILogger logger, Exception ex, string reason, string involved) =>
        logger.LogDebug(ex, "Could not record event {Reason} for {Involved}", reason, involved);
}
