namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// Where the bytes of simulated volumes live. The <see cref="VolumeController"/> decides when volumes and snapshots
/// come into being and calls this store at those moments; the store keeps their contents.
/// </summary>
/// <remarks>
/// Calls come from the volume controller's single worker, one at a time, but other threads (the kubelet serving exec)
/// may read the data concurrently: implementations must be thread-safe. Calls must be quick and must not call back into
/// the controller. A call that throws is retried later with back-off, so each method must be idempotent.
/// </remarks>
public interface IVolumeDataStore
{
    /// <summary>A claim was bound: create volume <paramref name="pvcUid"/>, empty or as a copy of snapshot <paramref name="fromSnapshotUid"/>.</summary>
    void Provision(string pvcUid, string? fromSnapshotUid);

    /// <summary>Cut snapshot <paramref name="snapshotUid"/> of volume <paramref name="pvcUid"/> as it is now (point in time).</summary>
    void TakeSnapshot(string snapshotUid, string pvcUid);

    /// <summary>A bound claim or a taken snapshot was deleted: forget the data kept under <paramref name="uid"/>. Unknown uids are ignored.</summary>
    void Release(string uid);
}

/// <summary>Keeps nothing: for a simulator whose volumes need no contents.</summary>
public sealed class NoOpVolumeDataStore : IVolumeDataStore
{
    public static readonly NoOpVolumeDataStore Instance = new();

    public void Provision(string pvcUid, string? fromSnapshotUid)
    {
    }

    public void TakeSnapshot(string snapshotUid, string pvcUid)
    {
    }

    public void Release(string uid)
    {
    }
}
