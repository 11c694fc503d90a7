using System.Globalization;
using System.Text.Json;
using k8s.Models;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Mapping;

public static partial class KubernetesModelMapper
{
    private const string VolumeSnapshotKind = "VolumeSnapshot";

    public static PvcSnapshot ToPvcSnapshot(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);

        var meta = claim.Metadata ?? new V1ObjectMeta();
        var spec = claim.Spec;

        // dataSourceRef supersedes dataSource; the API server mirrors one into the other when both are allowed.
        var source = (ObjectKind: spec?.DataSourceRef?.Kind ?? spec?.DataSource?.Kind, Name: spec?.DataSourceRef?.Name ?? spec?.DataSource?.Name);
        return new PvcSnapshot
        {
            Namespace = meta.NamespaceProperty ?? "",
            Name = meta.Name ?? "",
            Uid = meta.Uid ?? "",
            Labels = Labels(meta.Labels),
            Phase = string.IsNullOrEmpty(claim.Status?.Phase) ? "Pending" : claim.Status.Phase,
            Capacity = Quantity(claim.Status?.Capacity, "storage"),
            RequestedStorage = Quantity(spec?.Resources?.Requests, "storage"),
            StorageClassName = NullIfEmpty(spec?.StorageClassName),
            AccessModes = spec?.AccessModes.ToValueList() ?? ValueList<string>.Empty,
            VolumeName = NullIfEmpty(spec?.VolumeName),
            DataSourceSnapshotName = source.ObjectKind == VolumeSnapshotKind ? NullIfEmpty(source.Name) : null,
            CreationTimestamp = ToTime(meta.CreationTimestamp),
            DeletionTimestamp = ToTime(meta.DeletionTimestamp),
        };
    }

    /// <summary>
    /// Maps one snapshot.storage.k8s.io/v1 VolumeSnapshot as the custom-objects API returns it
    /// (a <see cref="JsonElement"/>); missing fields stay null rather than failing the whole list.
    /// </summary>
    public static VolumeSnapshotSnapshot ToVolumeSnapshotSnapshot(JsonElement snapshot)
    {
        if (snapshot.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A VolumeSnapshot must be a JSON object, not {snapshot.ValueKind}.", nameof(snapshot));
        }

        return new VolumeSnapshotSnapshot
        {
            Namespace = Text(snapshot, "metadata", "namespace") ?? "",
            Name = Text(snapshot, "metadata", "name") ?? "",
            Uid = Text(snapshot, "metadata", "uid") ?? "",
            Labels = StringMap.From(Find(snapshot, "metadata", "labels") is { ValueKind: JsonValueKind.Object } labels
                ? labels.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!))
                : null),
            SourcePvcName = Text(snapshot, "spec", "source", "persistentVolumeClaimName"),
            VolumeSnapshotClassName = Text(snapshot, "spec", "volumeSnapshotClassName"),
            ReadyToUse = Find(snapshot, "status", "readyToUse") is { ValueKind: JsonValueKind.True or JsonValueKind.False } ready ? ready.GetBoolean() : null,
            RestoreSize = Text(snapshot, "status", "restoreSize"),
            CreationTimestamp = Time(snapshot, "metadata", "creationTimestamp"),
            CreationTime = Time(snapshot, "status", "creationTime"),
            BoundContentName = Text(snapshot, "status", "boundVolumeSnapshotContentName"),
            ErrorMessage = Text(snapshot, "status", "error", "message"),
            ErrorTime = Time(snapshot, "status", "error", "time"),
            DeletionTimestamp = Time(snapshot, "metadata", "deletionTimestamp"),
        };
    }

    /// <summary>Maps a VolumeSnapshotList (an object with <c>items</c>) or a bare JSON array of VolumeSnapshots.</summary>
    public static IReadOnlyList<VolumeSnapshotSnapshot> ToVolumeSnapshotSnapshots(JsonElement list)
    {
        if (list.ValueKind == JsonValueKind.Array)
        {
            return [.. list.EnumerateArray().Select(ToVolumeSnapshotSnapshot)];
        }

        if (list.ValueKind != JsonValueKind.Object || !list.TryGetProperty("items", out var items))
        {
            throw new ArgumentException($"Expected a VolumeSnapshotList or an array, not {list.ValueKind}.", nameof(list));
        }

        // An empty list may come back with "items": null.
        return items.ValueKind == JsonValueKind.Array ? [.. items.EnumerateArray().Select(ToVolumeSnapshotSnapshot)] : [];
    }

    private static JsonElement? Find(JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    // restoreSize is a Quantity; servers write it as a string, but a bare number is valid JSON for it too.
    private static string? Text(JsonElement element, params string[] path) => Find(element, path) switch
    {
        { ValueKind: JsonValueKind.String } s => NullIfEmpty(s.GetString()),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    private static DateTimeOffset? Time(JsonElement element, params string[] path) =>
        Text(element, path) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}
