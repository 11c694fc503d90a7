using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Controllers;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Volumes;

/// <summary>
/// The contents of every provisioned volume and every snapshot, by uid: what the volume controller provisions,
/// snapshots and restores, and what containers mount. A fresh volume of an agent starts with a couple of conversations,
/// as a running agent would have written them; a restored one is a copy of its snapshot. Thread-safe; calls are idempotent.
/// </summary>
public sealed class VolumeDataRegistry(TimeProvider time) : IVolumeDataStore
{
    private readonly ConcurrentDictionary<string, VolumeData> _volumes = new();

    public void Provision(string pvcUid, string? fromSnapshotUid)
    {
        if (_volumes.ContainsKey(pvcUid))
        {
            return;
        }

        var data = fromSnapshotUid is not null && _volumes.TryGetValue(fromSnapshotUid, out var snapshot)
            ? snapshot.Clone()
            : Seeded(pvcUid);
        _volumes.TryAdd(pvcUid, data);
    }

    public void TakeSnapshot(string snapshotUid, string pvcUid)
    {
        if (!_volumes.ContainsKey(snapshotUid))
        {
            _volumes.TryAdd(snapshotUid, Get(pvcUid).Clone());
        }
    }

    public void Release(string uid) => _volumes.TryRemove(uid, out _);

    /// <summary>The data of a volume (created empty-but-seeded when the controller has not provisioned it yet).</summary>
    public VolumeData Get(string uid) => _volumes.GetOrAdd(uid, Seeded);

    private VolumeData Seeded(string uid)
    {
        var data = new VolumeData(time);
        var now = time.GetUtcNow();
        for (var i = 1; i <= 2; i++)
        {
            var id = $"conv-{uid[..Math.Min(8, uid.Length)]}-{i}";
            var conversation = new JsonObject
            {
                ["id"] = id,
                ["createdAt"] = now.AddHours(-i).ToString("O"),
                ["messages"] = new JsonArray(
                    new JsonObject { ["role"] = "user", ["content"] = $"Task {i}: summarise the incident timeline" },
                    new JsonObject { ["role"] = "assistant", ["content"] = "Working on it: collecting events and logs." }),
            };
            data.WriteFile($"conversations/{id}.json", Encoding.UTF8.GetBytes(conversation.ToJsonString()), createParents: true);
        }

        return data;
    }
}
