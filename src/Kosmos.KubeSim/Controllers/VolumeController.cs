using System.Text.Json.Nodes;
using Kosmos.KubeSim.Machinery;
using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// Dynamic provisioning and snapshots as the PV controller, a CSI external-provisioner and the snapshot controller
/// do them together: a new PVC binds (spec.volumeName <c>pvc-&lt;uid&gt;</c>, status Bound with capacity and access
/// modes) after a short simulated provisioning time; a PVC restored from a VolumeSnapshot waits, Pending with events,
/// until that snapshot is readyToUse; a VolumeSnapshot of a bound PVC is cut at once (status creationTime,
/// boundVolumeSnapshotContentName <c>snapcontent-&lt;uid&gt;</c>, restoreSize) and becomes readyToUse a little later.
/// The contents of volumes are an <see cref="IVolumeDataStore"/>'s business, called at bind, snapshot and delete time.
/// </summary>
internal sealed class VolumeController : ControllerBase<VolumeWork>
{
    public const string Provisioner = "hostpath.csi.kosmos.sim";
    public const string SnapshotGroup = "snapshot.storage.k8s.io";

    private readonly IVolumeDataStore _data;
    private readonly TimeSpan _provisionTime;
    private readonly TimeSpan _snapshotTime;
    private readonly EventRecorder _pvEvents;
    private readonly EventRecorder _provisionerEvents;
    private readonly EventRecorder _snapshotEvents;

    // Worker-only state (one worker): when provisioning or snapshotting began, and which data calls already succeeded.
    private readonly Dictionary<string, DateTimeOffset> _provisioningSince = [];
    private readonly Dictionary<string, DateTimeOffset> _snapshottingSince = [];
    private readonly HashSet<string> _provisioned = [];
    private readonly HashSet<string> _snapshotsTaken = [];

    /// <param name="provisionTime">Simulated time from a claim's first look to its binding (default 2 s).</param>
    /// <param name="snapshotTime">Simulated time from cutting a snapshot to readyToUse (default 3 s).</param>
    /// <param name="store">The simulator's object store (the controller's informer cache as well).</param>
    /// <param name="time">The simulator's clock.</param>
    /// <param name="loggers">Makes the controller's logger.</param>
    /// <param name="resyncPeriod">How often every claim and snapshot is looked at again.</param>
    /// <param name="data">Where provisioned volumes keep their files; none by default.</param>
    public VolumeController(ObjectStore store, ScaledTimeProvider time, ILoggerFactory loggers, TimeSpan resyncPeriod,
        IVolumeDataStore? data = null, TimeSpan? provisionTime = null, TimeSpan? snapshotTime = null)
        : base("volume-controller", store, time, loggers.CreateLogger<VolumeController>(), resyncPeriod)
    {
        _data = data ?? NoOpVolumeDataStore.Instance;
        _provisionTime = provisionTime ?? TimeSpan.FromSeconds(2);
        _snapshotTime = snapshotTime ?? TimeSpan.FromSeconds(3);
        _pvEvents = new EventRecorder(store, time, "persistentvolume-controller", logger: Logger);
        _provisionerEvents = new EventRecorder(store, time, $"{Provisioner}_kosmos-sim-node", logger: Logger);
        _snapshotEvents = new EventRecorder(store, time, "snapshot-controller", logger: Logger);
    }

    protected override IReadOnlyList<ResourceKind> WatchedKinds => [ResourceKinds.PersistentVolumeClaims, ResourceKinds.VolumeSnapshots];

    protected override void OnEvent(WatchEvent e)
    {
        if (e.Kind == ResourceKinds.PersistentVolumeClaims)
        {
            if (e.Type == WatchEventType.Deleted)
            {
                Queue.Add(VolumeWork.Release(Meta.Uid(e.Object)));
            }
            else
            {
                Queue.Add(new VolumeWork(VolumeWorkKind.Claim, e.Namespace, e.Name));
            }

            // Snapshots of this claim may be waiting for it to bind, or need to learn it is gone.
            foreach (var vs in Store.List(ResourceKinds.VolumeSnapshots, e.Namespace,
                s => JsonValues.String(JsonValues.At(s, "spec", "source", "persistentVolumeClaimName")) == e.Name).Items)
            {
                Queue.Add(new VolumeWork(VolumeWorkKind.Snapshot, e.Namespace, Meta.Name(vs)));
            }

            return;
        }

        if (e.Type == WatchEventType.Deleted)
        {
            Queue.Add(VolumeWork.Release(Meta.Uid(e.Object)));
        }
        else
        {
            Queue.Add(new VolumeWork(VolumeWorkKind.Snapshot, e.Namespace, e.Name));
        }

        // Claims restored from this snapshot may be waiting for it.
        foreach (var pvc in Store.List(ResourceKinds.PersistentVolumeClaims, null,
            c => SnapshotSource(c) is { } source && source.Namespace == e.Namespace && source.Name == e.Name).Items)
        {
            Queue.Add(new VolumeWork(VolumeWorkKind.Claim, Meta.Namespace(pvc), Meta.Name(pvc)));
        }
    }

    protected override IEnumerable<VolumeWork> ResyncKeys() =>
        Store.List(ResourceKinds.PersistentVolumeClaims, null).Items.Select(c => new VolumeWork(VolumeWorkKind.Claim, Meta.Namespace(c), Meta.Name(c)))
            .Concat(Store.List(ResourceKinds.VolumeSnapshots, null).Items.Select(s => new VolumeWork(VolumeWorkKind.Snapshot, Meta.Namespace(s), Meta.Name(s))));

    protected override void Reconcile(VolumeWork key)
    {
        switch (key.Kind)
        {
            case VolumeWorkKind.Claim:
                ReconcileClaim(key);
                break;
            case VolumeWorkKind.Snapshot:
                ReconcileSnapshot(key);
                break;
            default:
                // Called for every deleted claim and snapshot, bound or not: the data store ignores uids it never saw.
                _data.Release(key.Name);
                _provisioned.Remove(key.Name);
                _snapshotsTaken.Remove(key.Name);
                _provisioningSince.Remove(key.Name);
                _snapshottingSince.Remove(key.Name);
                break;
        }
    }

    private void ReconcileClaim(VolumeWork key)
    {
        var pvc = Store.Get(ResourceKinds.PersistentVolumeClaims, key.Namespace, key.Name);
        if (pvc is null || Meta.IsTerminating(pvc) || JsonValues.String(JsonValues.At(pvc, "status", "phase")) == "Bound")
        {
            return;
        }

        var uid = Meta.Uid(pvc);
        var requested = JsonValues.String(JsonValues.At(pvc, "spec", "resources", "requests", "storage"));
        string? fromSnapshot = null;
        if (DataSource(pvc) is { } source)
        {
            if (SnapshotSource(pvc) is not { } snapshotRef)
            {
                _provisionerEvents.Warning(pvc, "ProvisioningFailed",
                    $"failed to provision volume: data source {JsonValues.String(source["kind"])} \"{JsonValues.String(source["name"])}\" is not supported: only VolumeSnapshot ({SnapshotGroup}) sources are");
                return;
            }

            var handleError = $"error getting handle for DataSource Type VolumeSnapshot by Name {snapshotRef.Name}";
            var snapshot = Store.Get(ResourceKinds.VolumeSnapshots, snapshotRef.Namespace, snapshotRef.Name);
            if (snapshot is null)
            {
                _provisionerEvents.Warning(pvc, "ProvisioningFailed",
                    $"{handleError}: error getting snapshot {snapshotRef.Name} from api server: volumesnapshots.{SnapshotGroup} \"{snapshotRef.Name}\" not found");
                return;
            }

            if (JsonValues.Bool(JsonValues.At(snapshot, "status", "readyToUse")) != true)
            {
                _pvEvents.Normal(pvc, "ExternalProvisioning",
                    $"Waiting for a volume to be created either by the external provisioner '{Provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
                _provisionerEvents.Warning(pvc, "ProvisioningFailed", $"{handleError}: snapshot {snapshotRef.Name} is not Ready");
                return;
            }

            var restoreSize = JsonValues.String(JsonValues.At(snapshot, "status", "restoreSize"));
            if (Quantity.Decode(restoreSize) is { } minimum && Quantity.Decode(requested) is { } asked && asked < minimum)
            {
                _provisionerEvents.Warning(pvc, "ProvisioningFailed",
                    $"failed to provision volume: requested volume size {requested} is less than the size {restoreSize} for the source snapshot {snapshotRef.Name}");
                return;
            }

            fromSnapshot = Meta.Uid(snapshot);
        }

        if (!_provisioningSince.TryGetValue(uid, out var since))
        {
            since = Time.GetUtcNow();
            _provisioningSince[uid] = since;
            _provisionerEvents.Normal(pvc, "Provisioning", $"External provisioner is provisioning volume for claim \"{key.Namespace}/{key.Name}\"");
        }

        var left = _provisionTime - Time.Since(since);
        if (left > TimeSpan.Zero)
        {
            Queue.AddAfter(key, left);
            return;
        }

        if (!_provisioned.Contains(uid))
        {
            _data.Provision(uid, fromSnapshot);
            _provisioned.Add(uid);
        }

        var volumeName = JsonValues.String(JsonValues.At(pvc, "spec", "volumeName")) is { Length: > 0 } preset ? preset : $"pvc-{uid}";
        Store.Update(ResourceKinds.PersistentVolumeClaims, key.Namespace, key.Name, claim =>
        {
            if (Meta.Uid(claim) != uid)
            {
                throw Api.ApiException.Conflict(ResourceKinds.PersistentVolumeClaims, key.Name);
            }

            var annotations = Meta.MutableAnnotations(claim);
            annotations["pv.kubernetes.io/bind-completed"] = "yes";
            annotations["pv.kubernetes.io/bound-by-controller"] = "yes";
            annotations["volume.beta.kubernetes.io/storage-provisioner"] = Provisioner;
            annotations["volume.kubernetes.io/storage-provisioner"] = Provisioner;
            Meta.MutableChild(claim, "spec")["volumeName"] = volumeName;
            var status = new JsonObject
            {
                ["phase"] = "Bound",
                ["accessModes"] = JsonValues.At(claim, "spec", "accessModes")?.DeepClone() ?? new JsonArray("ReadWriteOnce"),
            };
            if (requested is not null)
            {
                status["capacity"] = new JsonObject { ["storage"] = requested };
            }

            claim["status"] = status;
            return claim;
        });
        _provisioningSince.Remove(uid);
        _provisionerEvents.Normal(pvc, "ProvisioningSucceeded", $"Successfully provisioned volume {volumeName}");
    }

    private void ReconcileSnapshot(VolumeWork key)
    {
        var vs = Store.Get(ResourceKinds.VolumeSnapshots, key.Namespace, key.Name);
        if (vs is null || Meta.IsTerminating(vs) || JsonValues.Bool(JsonValues.At(vs, "status", "readyToUse")) == true)
        {
            return;
        }

        var uid = Meta.Uid(vs);
        var label = $"{key.Namespace}/{key.Name}";
        if (JsonValues.String(JsonValues.At(vs, "status", "boundVolumeSnapshotContentName")) is { Length: > 0 })
        {
            // Cut already: it becomes usable once the (simulated) upload is done.
            var since = _snapshottingSince.TryGetValue(uid, out var s) ? s
                : Meta.ParseTime(JsonValues.String(JsonValues.At(vs, "status", "creationTime"))) ?? Time.GetUtcNow();
            var left = _snapshotTime - Time.Since(since);
            if (left > TimeSpan.Zero)
            {
                Queue.AddAfter(key, left);
                return;
            }

            WriteSnapshotStatus(key, uid, status => status["readyToUse"] = true);
            _snapshottingSince.Remove(uid);
            _snapshotEvents.Normal(vs, "SnapshotCreated", $"Snapshot {label} was successfully created by the CSI driver.");
            _snapshotEvents.Normal(vs, "SnapshotReady", $"Snapshot {label} is ready to use.");
            return;
        }

        if (JsonValues.String(JsonValues.At(vs, "spec", "source", "volumeSnapshotContentName")) is { Length: > 0 } preProvisioned)
        {
            WriteSnapshotStatus(key, uid, status =>
            {
                status["boundVolumeSnapshotContentName"] = preProvisioned;
                status["creationTime"] = ObjectStore.Timestamp(Time.GetUtcNow());
                status["readyToUse"] = true;
                status.Remove("error");
            });
            _snapshotEvents.Normal(vs, "SnapshotReady", $"Snapshot {label} is ready to use.");
            return;
        }

        var pvcName = JsonValues.String(JsonValues.At(vs, "spec", "source", "persistentVolumeClaimName"));
        var pvc = pvcName is null ? null : Store.Get(ResourceKinds.PersistentVolumeClaims, key.Namespace, pvcName);
        string? problem = null;
        if (pvcName is null)
        {
            problem = "spec.source must name a persistentVolumeClaimName or a volumeSnapshotContentName";
        }
        else if (pvc is null)
        {
            problem = $"cannot get claim from snapshot: persistentvolumeclaims \"{pvcName}\" not found";
        }
        else if (JsonValues.String(JsonValues.At(pvc, "status", "phase")) != "Bound")
        {
            problem = $"the PVC {pvcName} is not yet bound to a PV, will not attempt to take a snapshot";
        }

        if (problem is not null)
        {
            var message = $"Failed to create snapshot content with error {problem}";
            if (JsonValues.String(JsonValues.At(vs, "status", "error", "message")) != message)
            {
                WriteSnapshotStatus(key, uid, status =>
                {
                    status["readyToUse"] = false;
                    status["error"] = new JsonObject { ["message"] = message, ["time"] = ObjectStore.Timestamp(Time.GetUtcNow()) };
                });
            }

            _snapshotEvents.Warning(vs, "SnapshotContentCreationFailed", message);
            return;
        }

        if (!_snapshotsTaken.Contains(uid))
        {
            _data.TakeSnapshot(uid, Meta.Uid(pvc!));
            _snapshotsTaken.Add(uid);
        }

        _snapshottingSince[uid] = Time.GetUtcNow();
        var restoreSize = JsonValues.String(JsonValues.At(pvc!, "status", "capacity", "storage"))
            ?? JsonValues.String(JsonValues.At(pvc!, "spec", "resources", "requests", "storage"));
        WriteSnapshotStatus(key, uid, status =>
        {
            status["boundVolumeSnapshotContentName"] = $"snapcontent-{uid}";
            status["creationTime"] = ObjectStore.Timestamp(Time.GetUtcNow());
            status["readyToUse"] = false;
            if (restoreSize is not null)
            {
                status["restoreSize"] = restoreSize;
            }

            status.Remove("error");
        });
        _snapshotEvents.Normal(vs, "CreatingSnapshot", $"Waiting for a snapshot {label} to be created by the CSI driver.");
        Queue.AddAfter(key, _snapshotTime);
    }

    private void WriteSnapshotStatus(VolumeWork key, string uid, Action<JsonObject> change) =>
        Store.Update(ResourceKinds.VolumeSnapshots, key.Namespace, key.Name, vs =>
        {
            if (Meta.Uid(vs) != uid)
            {
                throw Api.ApiException.Conflict(ResourceKinds.VolumeSnapshots, key.Name);
            }

            change(Meta.MutableChild(vs, "status"));
            return vs;
        }, UpdateScope.Status);

    /// <summary>spec.dataSourceRef, else spec.dataSource (the API server mirrors one into the other).</summary>
    private static JsonObject? DataSource(JsonObject pvc) =>
        JsonValues.At(pvc, "spec", "dataSourceRef") as JsonObject ?? JsonValues.At(pvc, "spec", "dataSource") as JsonObject;

    private static (string Namespace, string Name)? SnapshotSource(JsonObject pvc) =>
        DataSource(pvc) is { } source
        && JsonValues.String(source["kind"]) == "VolumeSnapshot"
        && JsonValues.String(source["apiGroup"]) == SnapshotGroup
        && JsonValues.String(source["name"]) is { Length: > 0 } name
            ? (JsonValues.String(source["namespace"]) is { Length: > 0 } ns ? ns : Meta.Namespace(pvc), name)
            : null;
}

internal enum VolumeWorkKind
{
    Claim,
    Snapshot,

    /// <summary>Name holds the uid of a deleted claim or snapshot whose data goes.</summary>
    Release,
}

/// <summary>One piece of volume work: a claim or snapshot to reconcile, or data to release.</summary>
internal readonly record struct VolumeWork(VolumeWorkKind Kind, string Namespace, string Name)
{
    public static VolumeWork Release(string uid) => new(VolumeWorkKind.Release, "", uid);

    public override string ToString() => Kind == VolumeWorkKind.Release ? $"release {Name}" : $"{Kind} {Namespace}/{Name}";
}
