using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.ViewModels;

public sealed record SnapshotRow(string Name, string Source, string Ready, bool CanRestore, string Size, string Age, string? Error);

public sealed record ClaimRow(string Name, string Phase, string Size, string StorageClass, string AccessModes, string Age, string? RestoredFrom, IReadOnlyList<SnapshotRow> Snapshots);

/// <summary>The agent's claims, each with its VolumeSnapshots newest first; snapshots of claims that are gone are listed apart.</summary>
public sealed record StorageView(IReadOnlyList<ClaimRow> Claims, IReadOnlyList<SnapshotRow> OrphanSnapshots)
{
    public static StorageView From(IEnumerable<PvcSnapshot> claims, IEnumerable<VolumeSnapshotSnapshot> snapshots, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(snapshots);
        var rows = snapshots
            .OrderByDescending(s => s.CreationTime ?? s.CreationTimestamp ?? DateTimeOffset.MinValue)
            .Select(s => (s.SourcePvcName, Row: Snapshot(s, now)))
            .ToList();
        var claimRows = claims
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new ClaimRow(
                c.Name,
                c.DeletionTimestamp is null ? c.Phase : $"{c.Phase} (terminating)",
                c.Capacity ?? (c.RequestedStorage is null ? TimeText.None : $"{c.RequestedStorage} requested"),
                c.StorageClassName ?? "<default>",
                c.AccessModes.Count == 0 ? TimeText.None : string.Join(", ", c.AccessModes),
                TimeText.Duration(c.CreationTimestamp, now),
                c.DataSourceSnapshotName,
                [.. rows.Where(r => r.SourcePvcName == c.Name).Select(r => r.Row)]))
            .ToList();
        var claimNames = claimRows.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return new StorageView(claimRows, [.. rows.Where(r => r.SourcePvcName is null || !claimNames.Contains(r.SourcePvcName)).Select(r => r.Row)]);
    }

    private static SnapshotRow Snapshot(VolumeSnapshotSnapshot s, DateTimeOffset now) =>
        new(
            s.Name,
            s.SourcePvcName ?? TimeText.None,
            s.DeletionTimestamp is not null ? "deleting" : s.ReadyToUse switch { true => "ready", false => "not ready", null => "not reported yet" },
            s.CanRestore,
            s.RestoreSize ?? TimeText.None,
            TimeText.Duration(s.CreationTime ?? s.CreationTimestamp, now),
            s.ErrorMessage);
}
