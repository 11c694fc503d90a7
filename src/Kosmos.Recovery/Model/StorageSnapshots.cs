namespace Kosmos.Recovery.Model;

/// <summary>A PersistentVolumeClaim: an agent's state lives on one.</summary>
public sealed record PvcSnapshot
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string Uid { get; init; } = "";

    public StringMap Labels { get; init; } = StringMap.Empty;

    /// <summary>Pending, Bound or Lost.</summary>
    public string Phase { get; init; } = "Pending";

    /// <summary>Provisioned size (<c>status.capacity.storage</c>); null until bound.</summary>
    public string? Capacity { get; init; }

    /// <summary>Requested size (<c>spec.resources.requests.storage</c>).</summary>
    public string? RequestedStorage { get; init; }

    public string? StorageClassName { get; init; }

    public ValueList<string> AccessModes { get; init; } = ValueList<string>.Empty;

    public string? VolumeName { get; init; }

    /// <summary>The VolumeSnapshot this claim was restored from, if any.</summary>
    public string? DataSourceSnapshotName { get; init; }

    public DateTimeOffset? CreationTimestamp { get; init; }

    public DateTimeOffset? DeletionTimestamp { get; init; }
}

/// <summary>A snapshot.storage.k8s.io/v1 VolumeSnapshot: a backup an agent's claim can be restored from.</summary>
public sealed record VolumeSnapshotSnapshot
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string Uid { get; init; } = "";

    public StringMap Labels { get; init; } = StringMap.Empty;

    /// <summary>The claim that was snapshotted (<c>spec.source.persistentVolumeClaimName</c>).</summary>
    public string? SourcePvcName { get; init; }

    public string? VolumeSnapshotClassName { get; init; }

    /// <summary>Null while the snapshot controller has not reported yet.</summary>
    public bool? ReadyToUse { get; init; }

    public string? RestoreSize { get; init; }

    /// <summary>When the object was created.</summary>
    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>When the storage system took the point-in-time copy (<c>status.creationTime</c>).</summary>
    public DateTimeOffset? CreationTime { get; init; }

    public string? BoundContentName { get; init; }

    public string? ErrorMessage { get; init; }

    public DateTimeOffset? ErrorTime { get; init; }

    public DateTimeOffset? DeletionTimestamp { get; init; }

    public bool CanRestore => ReadyToUse == true && ErrorMessage is null && DeletionTimestamp is null;
}
