using k8s;
using k8s.Models;
using Kosmos.Cluster.Watching;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Tests.Watching.Support;

/// <summary>A subscriber as a page would be one: starts from the snapshot, applies every batch by key, keeps what it saw.</summary>
public sealed class Mirror : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly ClusterSubscription _subscription;
    private readonly Dictionary<(ClusterResourceKind, ObjectKey), IKubernetesObject<V1ObjectMeta>> _state = [];
    private readonly List<ClusterChange> _seen = [];
    private readonly Task _loop;
    private int _batches;

    public Mirror(IClusterCache cache)
    {
        _subscription = cache.Subscribe();
        Load(_subscription.Snapshot);
        _loop = Task.Run(ReadAsync);
    }

    public IReadOnlyList<ClusterChange> Seen
    {
        get { lock (_gate) { return [.. _seen]; } }
    }

    public int Batches => Volatile.Read(ref _batches);

    public int Resyncs => _subscription.Resyncs;

    public SortedDictionary<string, string> StateOf(string ns)
    {
        lock (_gate)
        {
            return TestObjects.StateOf(_state.Select(p => (p.Key.Item1, p.Value)), ns);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _loop;
    }

    private async Task ReadAsync()
    {
        await foreach (var batch in _subscription.Changes.ReadAllAsync())
        {
            Interlocked.Increment(ref _batches);
            lock (_gate)
            {
                if (batch.Resync is { } snapshot)
                {
                    _state.Clear();
                    Load(snapshot);
                }

                foreach (var change in batch.Changes)
                {
                    _seen.Add(change);
                    if (change.Type == ClusterChangeType.Upsert)
                    {
                        _state[(change.Kind, change.Key)] = change.Object;
                    }
                    else
                    {
                        _state.Remove((change.Kind, change.Key));
                    }
                }
            }
        }
    }

    private void Load(ClusterSnapshot snapshot)
    {
        lock (_gate)
        {
            foreach (var kind in ClusterResourceKinds.All)
            {
                foreach (var (key, obj) in snapshot[kind])
                {
                    _state[(kind, key)] = obj;
                }
            }
        }
    }
}
