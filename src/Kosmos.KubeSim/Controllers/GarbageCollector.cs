using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// Background cascading deletion, like pkg/controller/garbagecollector: keeps a graph of owner uid → dependents
/// (replica sets and pods); when an owner vanishes its dependents are checked, and a dependent whose owners are
/// all gone is deleted (pods through the graceful path). A dependent with some owners left only loses the
/// dangling references. Owners of kinds the simulator does not serve are assumed alive.
/// </summary>
internal sealed partial class GarbageCollector : ControllerBase<DependentKey>
{
    private static readonly ResourceKind[] DependentKinds = [ResourceKinds.ReplicaSets, ResourceKinds.Pods];

    private readonly Lock _graphGate = new();
    private readonly Dictionary<string, HashSet<DependentKey>> _dependents = [];
    private readonly Dictionary<DependentKey, string[]> _owners = [];

    public GarbageCollector(ObjectStore store, ScaledTimeProvider time, ILoggerFactory loggers, TimeSpan resyncPeriod)
        : base("garbage-collector", store, time, loggers.CreateLogger<GarbageCollector>(), resyncPeriod)
    {
    }

    protected override IReadOnlyList<ResourceKind> WatchedKinds => [ResourceKinds.Deployments, ResourceKinds.ReplicaSets, ResourceKinds.Pods];

    protected override void OnEvent(WatchEvent e)
    {
        var key = new DependentKey(e.Kind, e.Namespace, e.Name);
        List<DependentKey> orphaned = [];
        var check = false;
        lock (_graphGate)
        {
            if (e.Type == WatchEventType.Deleted)
            {
                Unlink(key);
                if (_dependents.Remove(Meta.Uid(e.Object), out var dependents))
                {
                    orphaned = [.. dependents];
                }
            }
            else if (DependentKinds.Contains(e.Kind))
            {
                var owners = Meta.OwnerReferences(e.Object).Select(r => JsonValues.String(r["uid"]) ?? "").Where(u => u.Length > 0).ToArray();
                Unlink(key);
                if (owners.Length > 0)
                {
                    _owners[key] = owners;
                    foreach (var owner in owners)
                    {
                        if (!_dependents.TryGetValue(owner, out var set))
                        {
                            set = [];
                            _dependents[owner] = set;
                        }

                        set.Add(key);
                    }

                    // A dependent may arrive after its owner left (created by a controller racing the deletion).
                    check = e.Type == WatchEventType.Added;
                }
            }
        }

        foreach (var dependent in orphaned)
        {
            Queue.Add(dependent);
        }

        if (check)
        {
            Queue.Add(key);
        }
    }

    protected override IEnumerable<DependentKey> ResyncKeys() =>
        DependentKinds.SelectMany(kind => Store.List(kind, null, o => Meta.OwnerReferences(o).Any()).Items
            .Select(o => new DependentKey(kind, Meta.Namespace(o), Meta.Name(o))));

    protected override void Reconcile(DependentKey key)
    {
        var obj = Store.Get(key.Kind, key.Namespace, key.Name);
        if (obj is null || Meta.IsTerminating(obj))
        {
            return;
        }

        var refs = Meta.OwnerReferences(obj).ToList();
        if (refs.Count == 0)
        {
            return;
        }

        var dangling = refs.Where(r => !OwnerExists(r, key.Namespace)).Select(r => JsonValues.String(r["uid"])).ToHashSet();
        if (dangling.Count == 0)
        {
            return;
        }

        var uid = Meta.Uid(obj);
        if (dangling.Count < refs.Count)
        {
            LogDropDangling(Logger, key.Kind.Kind, key.Namespace, key.Name, dangling.Count);
            Store.Update(key.Kind, key.Namespace, key.Name, copy =>
            {
                if (Meta.Uid(copy) != uid)
                {
                    throw ApiException.Conflict(key.Kind, key.Name);
                }

                ObjectStore.Metadata(copy)["ownerReferences"] = new JsonArray([.. Meta.OwnerReferences(copy)
                    .Where(r => !dangling.Contains(JsonValues.String(r["uid"])))
                    .Select(r => r.DeepClone())]);
                return copy;
            });
            return;
        }

        LogDeleting(Logger, key.Kind.Kind, key.Namespace, key.Name);
        if (key.Kind == ResourceKinds.Pods)
        {
            PodDeletion.Delete(Store, Time, key.Namespace, key.Name, uid);
            return;
        }

        try
        {
            Store.Delete(key.Kind, key.Namespace, key.Name, expectedUid: uid);
        }
        catch (ApiException ex) when (ex.Code is 404 or 409)
        {
            // Already gone, or a new object of that name: nothing of ours to collect.
        }
    }

    private bool OwnerExists(JsonObject ownerRef, string ns)
    {
        var kind = ResourceKinds.FindByKind(JsonValues.String(ownerRef["apiVersion"]) ?? "", JsonValues.String(ownerRef["kind"]) ?? "");
        if (kind is null)
        {
            return true;
        }

        var owner = Store.Get(kind, kind.Namespaced ? ns : null, JsonValues.String(ownerRef["name"]) ?? "");
        return owner is not null && Meta.Uid(owner) == JsonValues.String(ownerRef["uid"]);
    }

    private void Unlink(DependentKey key)
    {
        if (!_owners.Remove(key, out var owners))
        {
            return;
        }

        foreach (var owner in owners)
        {
            if (_dependents.TryGetValue(owner, out var set) && set.Remove(key) && set.Count == 0)
            {
                _dependents.Remove(owner);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleting {Kind} {Namespace}/{Name}: every owner is gone")]
    private static partial void LogDeleting(ILogger logger, string kind, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removing {Count} dangling owner references from {Kind} {Namespace}/{Name}")]
    private static partial void LogDropDangling(ILogger logger, string kind, string @namespace, string name, int count);
}

/// <summary>An object the garbage collector may have to delete.</summary>
internal readonly record struct DependentKey(ResourceKind Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind.Kind} {Namespace}/{Name}";
}
