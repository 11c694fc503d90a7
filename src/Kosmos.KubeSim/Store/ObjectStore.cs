using System.Globalization;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;

namespace Kosmos.KubeSim.Store;

/// <summary>Which part of an object an update may change, as with a real server's main resource and /status subresource.</summary>
public enum UpdateScope
{
    /// <summary>Everything but status (a PUT/PATCH to the object itself).</summary>
    Main,

    /// <summary>Only status (the /status subresource).</summary>
    Status,

    /// <summary>Controllers inside the simulator: anything.</summary>
    All,
}

/// <summary>
/// The simulator's etcd: every object, one global resourceVersion counter and a bounded history of changes that
/// watches replay from. All methods are thread-safe. Objects handed out are frozen snapshots — callers must not
/// mutate them (<see cref="JsonNode.DeepClone"/> first); <see cref="Update"/> hands its callback a private copy.
/// </summary>
public sealed class ObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ResourceKind, ObjectTable> _objects = [];
    private readonly LinkedList<WatchEvent> _history = new();
    private readonly List<WatchSubscription> _watchers = [];
    private readonly TimeProvider _time;
    private readonly int _historyCapacity;
    private long _resourceVersion;

    // Watches asking for a version at or below this one get 410 Expired: that part of history is gone.
    private long _compactedThrough;

    public ObjectStore(TimeProvider time, int historyCapacity = 200_000)
    {
        _time = time;
        _historyCapacity = historyCapacity;
        foreach (var kind in ResourceKinds.All)
        {
            _objects[kind] = new ObjectTable();
        }
    }

    public long CurrentResourceVersion
    {
        get { lock (_gate) { return _resourceVersion; } }
    }

    /// <summary>API watches currently open (in-process controller subscriptions excluded).</summary>
    public int OpenApiWatchCount
    {
        get { lock (_gate) { return _watchers.Count(w => !w.IsInternal); } }
    }

    public JsonObject? Get(ResourceKind kind, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects[kind].GetValueOrDefault((Key(kind, ns), name));
        }
    }

    /// <summary>A consistent list (namespace null = all) and the resourceVersion it was taken at.</summary>
    public (IReadOnlyList<JsonObject> Items, long ResourceVersion) List(ResourceKind kind, string? ns, Func<JsonObject, bool>? filter = null)
    {
        var (items, rv, _) = ListPage(kind, ns, filter, after: null, limit: int.MaxValue);
        return (items, rv);
    }

    /// <summary>
    /// One page of a list: at most <paramref name="limit"/> objects that pass <paramref name="filter"/>, in (namespace, name)
    /// ordinal order, strictly after the key <paramref name="after"/> when given (a continue token's last key), the
    /// resourceVersion it was taken at, and whether more objects would follow. Costs the page, not the objects before it.
    /// </summary>
    public (IReadOnlyList<JsonObject> Items, long ResourceVersion, bool More) ListPage(
        ResourceKind kind, string? ns, Func<JsonObject, bool>? filter, (string Ns, string Name)? after, int limit)
    {
        lock (_gate)
        {
            var items = new List<JsonObject>();
            foreach (var pair in _objects[kind].From(kind.Namespaced ? ns : null, after))
            {
                if (filter is not null && !filter(pair.Value))
                {
                    continue;
                }

                if (items.Count == limit)
                {
                    return (items, _resourceVersion, true);
                }

                items.Add(pair.Value);
            }

            return (items, _resourceVersion, false);
        }
    }

    public int Count(ResourceKind kind)
    {
        lock (_gate)
        {
            return _objects[kind].Count;
        }
    }

    /// <summary>Stores a new object, filling uid, creationTimestamp, resourceVersion and generation. Throws 409 AlreadyExists.</summary>
    public JsonObject Create(ResourceKind kind, JsonObject obj, bool dryRun = false)
    {
        var copy = obj.DeepClone().AsObject();
        var meta = Metadata(copy);
        copy["apiVersion"] = kind.ApiVersion;
        copy["kind"] = kind.Kind;
        lock (_gate)
        {
            var name = meta["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name) && meta["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
            {
                name = prefix + RandomSuffix();
                meta["name"] = name;
            }

            if (string.IsNullOrEmpty(name))
            {
                throw ApiException.Invalid(kind, "", [("FieldValueRequired", "metadata.name", "Required value: name or generateName is required")]);
            }

            var ns = Key(kind, meta["namespace"]?.GetValue<string>());
            if (kind.Namespaced)
            {
                meta["namespace"] = ns;
            }

            var table = _objects[kind];
            if (table.ContainsKey((ns, name)))
            {
                throw ApiException.AlreadyExists(kind, name);
            }

            meta.Remove("resourceVersion");
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Timestamp(_time.GetUtcNow());
            if (kind.HasGeneration)
            {
                meta["generation"] = 1;
            }

            meta.Remove("deletionTimestamp");
            if (dryRun)
            {
                return copy;
            }

            var rv = ++_resourceVersion;
            meta["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            table[(ns, name)] = copy;
            Publish(new WatchEvent(WatchEventType.Added, kind, ns, name, rv, copy));
            return copy;
        }
    }

    /// <summary>
    /// Atomically reads, changes and stores one object. <paramref name="change"/> gets a private copy and returns the
    /// new object (it runs under the store's lock: keep it short and do no I/O). A resourceVersion left in the new object's
    /// metadata that differs from the stored one is a 409 Conflict (optimistic concurrency); <paramref name="scope"/> keeps
    /// status or spec as they were; a spec change bumps metadata.generation. Returns the stored object, or the existing one
    /// unchanged (no new resourceVersion) when nothing changed.
    /// </summary>
    public JsonObject Update(ResourceKind kind, string? ns, string name, Func<JsonObject, JsonObject> change,
        UpdateScope scope = UpdateScope.All, bool dryRun = false)
    {
        lock (_gate)
        {
            var key = (Key(kind, ns), name);
            var table = _objects[kind];
            if (!table.TryGetValue(key, out var current))
            {
                throw ApiException.NotFound(kind, name);
            }

            var updated = change(current.DeepClone().AsObject());
            var newMeta = Metadata(updated);
            var oldMeta = Metadata(current);
            var requestedRv = newMeta["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(requestedRv) && requestedRv != oldMeta["resourceVersion"]?.GetValue<string>())
            {
                throw ApiException.Conflict(kind, name);
            }

            // Identity is the server's, whatever the client sent.
            updated["apiVersion"] = kind.ApiVersion;
            updated["kind"] = kind.Kind;
            foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds" })
            {
                if (field is "deletionTimestamp" or "deletionGracePeriodSeconds" && scope == UpdateScope.All)
                {
                    continue;
                }

                CopyField(oldMeta, newMeta, field);
            }

            if (kind.HasStatus && scope == UpdateScope.Main)
            {
                CopyField(current, updated, "status");
            }
            else if (scope == UpdateScope.Status)
            {
                foreach (var field in updated.Select(p => p.Key).Where(k => k != "status" && k != "metadata").ToList())
                {
                    updated.Remove(field);
                }

                foreach (var field in current.Where(p => p.Key != "status" && p.Key != "metadata"))
                {
                    updated[field.Key] = field.Value?.DeepClone();
                }
            }

            if (kind.HasGeneration && !JsonNode.DeepEquals(current["spec"], updated["spec"]))
            {
                newMeta["generation"] = (JsonValues.Long(oldMeta["generation"]) ?? 1) + 1;
            }

            newMeta["resourceVersion"] = oldMeta["resourceVersion"]?.DeepClone();
            if (JsonNode.DeepEquals(current, updated))
            {
                return current;
            }

            if (dryRun)
            {
                return updated;
            }

            var rv = ++_resourceVersion;
            newMeta["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            if (newMeta["deletionTimestamp"] is not null && HasFinalizers(oldMeta) && !HasFinalizers(newMeta))
            {
                // The last finalizer of an object being deleted is gone: the API server removes it now (as etcd's
                // delete after the finalizing update). Only this transition deletes, so a pod in its grace period,
                // which never had finalizers, stays until its kubelet is done.
                table.Remove(key);
                Publish(new WatchEvent(WatchEventType.Deleted, kind, key.Item1, name, rv, updated));
                return updated;
            }

            table[key] = updated;
            Publish(new WatchEvent(WatchEventType.Modified, kind, key.Item1, name, rv, updated));
            return updated;
        }
    }

    /// <summary>Removes an object for good. Throws 404, or 409 when <paramref name="expectedUid"/> names another incarnation.</summary>
    public JsonObject Delete(ResourceKind kind, string? ns, string name, bool dryRun = false, string? expectedUid = null)
    {
        lock (_gate)
        {
            var key = (Key(kind, ns), name);
            var table = _objects[kind];
            if (!table.TryGetValue(key, out var current))
            {
                throw ApiException.NotFound(kind, name);
            }

            if (expectedUid is not null && Metadata(current)["uid"]?.GetValue<string>() != expectedUid)
            {
                throw new ApiException(409, "Conflict",
                    $"Precondition failed: UID in precondition: {expectedUid}, UID in object meta: {Metadata(current)["uid"]}");
            }

            if (dryRun)
            {
                return current;
            }

            table.Remove(key);
            var rv = ++_resourceVersion;

            // DELETED carries the object at a new resourceVersion, so a watcher resuming from it misses nothing.
            var gone = current.DeepClone().AsObject();
            Metadata(gone)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            Publish(new WatchEvent(WatchEventType.Deleted, kind, key.Item1, name, rv, gone));
            return gone;
        }
    }

    /// <summary>
    /// Opens a watch. <paramref name="fromResourceVersion"/> null or 0 sends every current object as ADDED first (a real
    /// server's "any version" start); otherwise every change after that version is replayed from history, or a 410 Gone
    /// <see cref="ApiException"/> is thrown when that history has been compacted away.
    /// </summary>
    public WatchSubscription Watch(ResourceKind kind, string? ns, long? fromResourceVersion, int bufferCapacity = 10_000, bool isInternal = false)
    {
        lock (_gate)
        {
            var subscription = new WatchSubscription(kind, kind.Namespaced ? ns : null, isInternal, isInternal ? 0 : bufferCapacity, Unregister);
            if (fromResourceVersion is null or 0)
            {
                foreach (var pair in _objects[kind].From(subscription.Namespace, after: null))
                {
                    var rv = long.Parse(Metadata(pair.Value)["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                    subscription.Offer(new WatchEvent(WatchEventType.Added, kind, pair.Key.Ns, pair.Key.Name, rv, pair.Value));
                }
            }
            else
            {
                if (fromResourceVersion < _compactedThrough)
                {
                    throw ApiException.Gone($"too old resource version: {fromResourceVersion} ({_compactedThrough + 1})");
                }

                if (fromResourceVersion > _resourceVersion)
                {
                    // A real server waits for that version; the simulator's counter is the only one, so it is simply the future.
                    throw new ApiException(504, "Timeout", $"Too large resource version: {fromResourceVersion}, current: {_resourceVersion}");
                }

                foreach (var e in _history)
                {
                    if (e.ResourceVersion > fromResourceVersion && subscription.Matches(e))
                    {
                        subscription.Offer(e);
                    }
                }
            }

            _watchers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Fault injection: forget all history, so the next watch from any older version gets 410 Expired.</summary>
    public void ExpireHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _resourceVersion;
        }
    }

    /// <summary>Fault injection: end every open API watch stream (controllers keep theirs).</summary>
    public int DropApiWatches()
    {
        lock (_gate)
        {
            var dropped = _watchers.Where(w => !w.IsInternal).ToList();
            foreach (var w in dropped)
            {
                w.Close();
                _watchers.Remove(w);
            }

            return dropped.Count;
        }
    }

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject meta)
        {
            meta = new JsonObject();
            obj["metadata"] = meta;
        }

        return meta;
    }

    /// <summary>Whether metadata.finalizers holds anything, so deleting the object only marks it.</summary>
    public static bool HasFinalizers(JsonObject metadata) => metadata["finalizers"] is JsonArray { Count: > 0 };

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private void Publish(WatchEvent e)
    {
        _history.AddLast(e);
        while (_history.Count > _historyCapacity)
        {
            _compactedThrough = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }

        foreach (var w in _watchers)
        {
            if (w.Matches(e))
            {
                w.Offer(e);
            }
        }

        // Overflowed subscribers were cut off: forget them.
        _watchers.RemoveAll(w => w.Overflowed);
    }

    private void Unregister(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _watchers.Remove(subscription);
        }
    }

    private static string Key(ResourceKind kind, string? ns) => kind.Namespaced ? (string.IsNullOrEmpty(ns) ? "default" : ns) : "";

    private static void CopyField(JsonObject from, JsonObject to, string field)
    {
        if (from[field] is { } value)
        {
            to[field] = value.DeepClone();
        }
        else
        {
            to.Remove(field);
        }
    }

    private static string RandomSuffix()
    {
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        Span<char> chars = stackalloc char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }

        return new string(chars);
    }
}
