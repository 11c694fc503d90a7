using System.Text.Json;
using k8s.Models;
using Kosmos.Cluster.Mapping;
using Kosmos.Recovery.Model;
using static Kosmos.Cluster.Tests.Mapping.PodMappingTests;

namespace Kosmos.Cluster.Tests.Mapping;

public sealed class StorageMappingTests
{
    private const string ReadySnapshot = """
        {
          "apiVersion": "snapshot.storage.k8s.io/v1", "kind": "VolumeSnapshot",
          "metadata": { "name": "planner-state-20260301", "namespace": "kosmos", "uid": "vs-1",
                        "creationTimestamp": "2026-03-01T02:00:00Z", "labels": { "app": "planner" } },
          "spec": { "source": { "persistentVolumeClaimName": "planner-state" }, "volumeSnapshotClassName": "csi-snapclass" },
          "status": { "boundVolumeSnapshotContentName": "snapcontent-1", "creationTime": "2026-03-01T02:00:03Z",
                      "readyToUse": true, "restoreSize": "10Gi" }
        }
        """;

    [Fact]
    public void ToPvcSnapshot_RestoredClaim_MapsSizesClassAndSnapshotSource()
    {
        var claim = Deserialize<V1PersistentVolumeClaim>("""
            {
              "metadata": { "name": "planner-state", "namespace": "kosmos", "uid": "pvc-1", "creationTimestamp": "2026-03-01T12:00:00Z", "labels": { "app": "planner" } },
              "spec": {
                "accessModes": ["ReadWriteOnce"], "storageClassName": "standard", "volumeName": "pv-123",
                "resources": { "requests": { "storage": "10Gi" } },
                "dataSource": { "apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "planner-state-20260301" }
              },
              "status": { "phase": "Bound", "capacity": { "storage": "10Gi" } }
            }
            """);

        var snapshot = KubernetesModelMapper.ToPvcSnapshot(claim);

        Assert.Equal(("kosmos", "planner-state", "pvc-1", "Bound"), (snapshot.Namespace, snapshot.Name, snapshot.Uid, snapshot.Phase));
        Assert.Equal(("10Gi", "10Gi", "standard", "pv-123"), (snapshot.Capacity, snapshot.RequestedStorage, snapshot.StorageClassName, snapshot.VolumeName));
        Assert.Equal(["ReadWriteOnce"], snapshot.AccessModes);
        Assert.Equal("planner-state-20260301", snapshot.DataSourceSnapshotName);
        Assert.Equal(Utc("2026-03-01T12:00:00Z"), snapshot.CreationTimestamp);
    }

    [Fact]
    public void ToPvcSnapshot_UnboundClaimClonedFromClaim_NoCapacityNoSnapshotSource()
    {
        var claim = Deserialize<V1PersistentVolumeClaim>("""
            { "metadata": { "name": "copy", "namespace": "kosmos" },
              "spec": { "dataSource": { "kind": "PersistentVolumeClaim", "name": "planner-state" } } }
            """);

        var snapshot = KubernetesModelMapper.ToPvcSnapshot(claim);

        Assert.Equal("Pending", snapshot.Phase);
        Assert.Null(snapshot.Capacity);
        Assert.Null(snapshot.DataSourceSnapshotName);
    }

    [Fact]
    public void ToVolumeSnapshotSnapshot_ReadySnapshot_MapsSourceSizeAndTimes()
    {
        using var json = JsonDocument.Parse(ReadySnapshot);

        var snapshot = KubernetesModelMapper.ToVolumeSnapshotSnapshot(json.RootElement);

        Assert.Equal(("kosmos", "planner-state-20260301", "vs-1"), (snapshot.Namespace, snapshot.Name, snapshot.Uid));
        Assert.Equal(StringMap.Of(("app", "planner")), snapshot.Labels);
        Assert.Equal(("planner-state", "csi-snapclass", "snapcontent-1"), (snapshot.SourcePvcName, snapshot.VolumeSnapshotClassName, snapshot.BoundContentName));
        Assert.Equal((true, "10Gi"), (snapshot.ReadyToUse, snapshot.RestoreSize));
        Assert.Equal(Utc("2026-03-01T02:00:00Z"), snapshot.CreationTimestamp);
        Assert.Equal(Utc("2026-03-01T02:00:03Z"), snapshot.CreationTime);
        Assert.Null(snapshot.ErrorMessage);
        Assert.True(snapshot.CanRestore);
    }

    [Fact]
    public void ToVolumeSnapshotSnapshot_FailedSnapshot_CarriesErrorAndCannotRestore()
    {
        using var json = JsonDocument.Parse("""
            {
              "metadata": { "name": "broken", "namespace": "kosmos" },
              "spec": { "source": { "persistentVolumeClaimName": "planner-state" } },
              "status": { "readyToUse": false, "error": { "message": "Failed to create snapshot: rpc error: code = Internal", "time": "2026-03-01T02:00:05Z" } }
            }
            """);

        var snapshot = KubernetesModelMapper.ToVolumeSnapshotSnapshot(json.RootElement);

        Assert.Equal(false, snapshot.ReadyToUse);
        Assert.Equal("Failed to create snapshot: rpc error: code = Internal", snapshot.ErrorMessage);
        Assert.Equal(Utc("2026-03-01T02:00:05Z"), snapshot.ErrorTime);
        Assert.False(snapshot.CanRestore);
    }

    [Fact]
    public void ToVolumeSnapshotSnapshot_NoStatusYet_LeavesStatusFieldsNull()
    {
        using var json = JsonDocument.Parse("""{ "metadata": { "name": "new", "namespace": "kosmos" }, "spec": {} }""");

        var snapshot = KubernetesModelMapper.ToVolumeSnapshotSnapshot(json.RootElement);

        Assert.Null(snapshot.ReadyToUse);
        Assert.Null(snapshot.RestoreSize);
        Assert.Null(snapshot.SourcePvcName);
        Assert.False(snapshot.CanRestore);
    }

    [Fact]
    public void ToVolumeSnapshotSnapshots_ListWithItems_MapsEachItem()
    {
        using var json = JsonDocument.Parse($$"""{ "apiVersion": "snapshot.storage.k8s.io/v1", "kind": "VolumeSnapshotList", "items": [ {{ReadySnapshot}}, {{ReadySnapshot}} ] }""");

        var snapshots = KubernetesModelMapper.ToVolumeSnapshotSnapshots(json.RootElement);

        Assert.Equal(2, snapshots.Count);
        Assert.All(snapshots, s => Assert.Equal("planner-state", s.SourcePvcName));
    }

    [Theory]
    [InlineData("""{ "kind": "VolumeSnapshotList", "items": null }""")]
    [InlineData("""{ "kind": "VolumeSnapshotList", "items": [] }""")]
    [InlineData("[]")]
    public void ToVolumeSnapshotSnapshots_EmptyList_Empty(string list)
    {
        using var json = JsonDocument.Parse(list);

        Assert.Empty(KubernetesModelMapper.ToVolumeSnapshotSnapshots(json.RootElement));
    }

    [Fact]
    public void ToVolumeSnapshotSnapshots_NotAList_Throws()
    {
        using var json = JsonDocument.Parse("\"oops\"");

        Assert.Throws<ArgumentException>(() => KubernetesModelMapper.ToVolumeSnapshotSnapshots(json.RootElement));
        Assert.Throws<ArgumentException>(() => KubernetesModelMapper.ToVolumeSnapshotSnapshot(json.RootElement));
    }
}
