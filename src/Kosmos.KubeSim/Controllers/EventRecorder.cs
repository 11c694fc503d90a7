using System.Globalization;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// What an event is about, as its <c>involvedObject</c> names it: kind, apiVersion, namespace, name, uid and the
/// resourceVersion the reporter saw, plus a <see cref="FieldPath"/> for a part of the object
/// (<c>spec.containers{agent}</c>).
/// </summary>
public readonly record struct EventTarget(
    string? Kind, string? ApiVersion, string Namespace, string Name, string Uid, string? ResourceVersion = null, string? FieldPath = null)
{
    /// <summary>A reference to a stored object (its kind, apiVersion, namespace, name, uid and resourceVersion).</summary>
    public static EventTarget Of(JsonObject obj, string? fieldPath = null) => new(
        JsonValues.String(obj["kind"]), JsonValues.String(obj["apiVersion"]), Meta.Namespace(obj), Meta.Name(obj), Meta.Uid(obj),
        JsonValues.String(JsonValues.At(obj, "metadata", "resourceVersion")), fieldPath);

    /// <summary>The same object, narrowed to one of its containers, as the kubelet reports container events.</summary>
    public EventTarget ForContainer(string container) => this with { FieldPath = $"spec.containers{{{container}}}" };
}

/// <summary>
/// Writes core/v1 Events the way client-go's event recorder does, for controllers, the scheduler and the kubelet alike:
/// one Event named <c>&lt;object&gt;.&lt;hex nanoseconds&gt;</c> in the involved object's namespace, with involvedObject
/// (uid, resourceVersion, fieldPath), reason, message, type, source (component, host) and reportingComponent/Instance,
/// first/last timestamps and count. Recording the same (object, fieldPath, type, reason, message) again increments
/// <c>count</c> and moves <c>lastTimestamp</c> instead of adding an Event, like client-go's event correlator, so
/// <c>kubectl describe</c> shows <c>(x4 over 2m)</c>. One recorder per reporting component (and host, for a kubelet).
/// </summary>
/// <remarks>
/// Thread-safe; calls are synchronous and fast (in-memory store). Recording never throws: an event that cannot be
/// written is logged at Debug and dropped, as client-go drops it, so callers need no error handling.
/// </remarks>
public sealed partial class EventRecorder
{
    /// <summary>The kubelet's source component.</summary>
    public const string Kubelet = "kubelet";

    /// <summary>The scheduler's source component.</summary>
    public const string Scheduler = "default-scheduler";

    // As many repeats as client-go's correlator remembers (its LRU cache size).
    private const int MaxRemembered = 4096;
    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<RepeatKey, (string Namespace, string Name)> _recent = [];
    private readonly Queue<RepeatKey> _recentOrder = new();
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
        Record(EventTarget.Of(involvedObject, fieldPath), "Normal", reason, message);

    public void Warning(JsonObject involvedObject, string reason, string message, string? fieldPath = null) =>
        Record(EventTarget.Of(involvedObject, fieldPath), "Warning", reason, message);

    public void Normal(EventTarget target, string reason, string message) => Record(target, "Normal", reason, message);

    public void Warning(EventTarget target, string reason, string message) => Record(target, "Warning", reason, message);

    /// <summary>
    /// Records an event about <paramref name="involvedObject"/> (any stored object: its kind, apiVersion, namespace,
    /// name, uid and resourceVersion are copied). <paramref name="type"/> is <c>Normal</c> or <c>Warning</c>;
    /// <paramref name="fieldPath"/> names a part of the object, e.g. <c>spec.containers{agent}</c>.
    /// Returns the stored Event, or null when it could not be written.
    /// </summary>
    public JsonObject? Record(JsonObject involvedObject, string type, string reason, string message, string? fieldPath = null) =>
        Record(EventTarget.Of(involvedObject, fieldPath), type, reason, message);

    /// <summary>Records an event about <paramref name="target"/>; returns the stored Event, or null when it could not be written.</summary>
    public JsonObject? Record(EventTarget target, string type, string reason, string message)
    {
        var ns = target.Namespace is { Length: > 0 } n ? n : "default";
        var key = new RepeatKey(ns, target.Kind, target.Name, target.Uid, target.FieldPath, type, reason, message);
        lock (_gate)
        {
            try
            {
                var now = ObjectStore.Timestamp(_time.GetUtcNow());
                if (_recent.TryGetValue(key, out var existing))
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
                        _recent.Remove(key);
                    }
                }

                var created = CreateUnique(ns, target, type, reason, message, now);
                Remember(key, (ns, Meta.Name(created)));
                return created;
            }
            catch (Exception ex) when (ex is ApiException or InvalidOperationException)
            {
                LogRecordFailed(_logger, ex, reason, target.Namespace, target.Name);
                return null;
            }
        }
    }

    /// <summary>Drops what is remembered about an object that is gone (its Events stay, as they do until their TTL).</summary>
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

    private JsonObject CreateUnique(string ns, EventTarget target, string type, string reason, string message, string now)
    {
        while (true)
        {
            // Names are <object>.<hex UnixNano> like client-go's; a strictly increasing clock keeps them unique.
            var nanos = Math.Max((_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100, _lastNanos + 1);
            _lastNanos = nanos;
            var involvedRef = new JsonObject
            {
                ["kind"] = target.Kind,
                ["name"] = target.Name,
                ["uid"] = target.Uid,
                ["apiVersion"] = target.ApiVersion,
                ["resourceVersion"] = target.ResourceVersion,
            };
            if (target.Namespace is { Length: > 0 })
            {
                involvedRef["namespace"] = target.Namespace;
            }

            if (target.FieldPath is not null)
            {
                involvedRef["fieldPath"] = target.FieldPath;
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
                    ["name"] = $"{target.Name}.{nanos.ToString("x", CultureInfo.InvariantCulture)}",
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

    private void Remember(RepeatKey key, (string Namespace, string Name) ev)
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not record event {Reason} for {Namespace}/{Name}")]
    private static partial void LogRecordFailed(ILogger logger, Exception ex, string reason, string? @namespace, string name);

    // What makes two events the same event (client-go's getEventKey, less what one recorder holds constant).
    private readonly record struct RepeatKey(
        string Namespace, string? Kind, string Name, string Uid, string? FieldPath, string Type, string Reason, string Message);
}
