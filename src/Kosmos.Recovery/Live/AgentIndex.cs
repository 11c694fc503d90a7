using Kosmos.Recovery.Health;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Live;

/// <summary>
/// Everything known about every agent, indexed by agent, fed with object changes. It remembers which agents a change
/// touched (<see cref="TakeDirty"/>) so only those are re-classified. Not thread-safe: one owner feeds and reads it.
/// An agent is a Deployment, or pods labelled app=&lt;agent&gt; without one.
/// </summary>
public sealed class AgentIndex
{
    private readonly Dictionary<(string Ns, string Name), DeploymentSnapshot> _deployments = [];
    private readonly Dictionary<(string Ns, string Name), PodSnapshot> _pods = [];
    private readonly Dictionary<string, HashSet<string>> _podsByAgent = [];
    private readonly Dictionary<(string Ns, string Name), ReplicaSetSnapshot> _replicaSets = [];
    private readonly Dictionary<(string Ns, string Name), (EventSnapshot Event, string? Agent)> _events = [];
    private readonly Dictionary<string, HashSet<(string Ns, string Name)>> _eventsByAgent = [];
    private readonly Dictionary<(string Ns, string Name), PvcSnapshot> _claims = [];
    private readonly Dictionary<(string Ns, string Name), VolumeSnapshotSnapshot> _volumeSnapshots = [];

    // Pod name → agent, kept after the pod is gone so its late events still find their agent.
    private readonly Dictionary<(string Ns, string Name), string> _podAgents = [];
    private readonly HashSet<string> _dirty = [];

    public AgentHealthOptions HealthOptions { get; init; } = new();

    public IEnumerable<string> AgentKeys =>
        _deployments.Keys.Select(k => AgentKey.Of(k.Ns, k.Name)).Union(_podsByAgent.Where(p => p.Value.Count > 0).Select(p => p.Key));

    public void Clear()
    {
        foreach (var key in AgentKeys)
        {
            _dirty.Add(key);
        }

        _deployments.Clear();
        _pods.Clear();
        _podsByAgent.Clear();
        _replicaSets.Clear();
        _events.Clear();
        _eventsByAgent.Clear();
        _claims.Clear();
        _volumeSnapshots.Clear();
    }

    /// <summary>
    /// Have one slice of the agents looked at again (health depends on time as well as on changes): those whose key falls in <paramref name="slice"/> of
    /// <paramref name="slices"/>. Going round the slices looks at every agent once, a little at a time.
    /// </summary>
    public void MarkSliceDirty(int slice, int slices)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slices);
        ArgumentOutOfRangeException.ThrowIfNegative(slice);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slice, slices);
        foreach (var key in AgentKeys.Where(k => SliceOf(k, slices) == slice))
        {
            _dirty.Add(key);
        }
    }

    /// <summary>The slice an agent key is in: stable for the life of the process (string hashes are randomised per process).</summary>
    public static int SliceOf(string agentKey, int slices) => (int)((uint)StringComparer.Ordinal.GetHashCode(agentKey) % (uint)slices);

    /// <summary>The agents touched since the last call.</summary>
    public IReadOnlyCollection<string> TakeDirty()
    {
        var dirty = _dirty.ToList();
        _dirty.Clear();
        return dirty;
    }

    public void Upsert(DeploymentSnapshot d)
    {
        _deployments[(d.Namespace, d.Name)] = d;
        _dirty.Add(AgentKey.Of(d.Namespace, d.Name));
    }

    public void RemoveDeployment(string ns, string name)
    {
        _deployments.Remove((ns, name));
        _dirty.Add(AgentKey.Of(ns, name));
    }

    public void Upsert(PodSnapshot pod)
    {
        RemovePod(pod.Namespace, pod.Name);
        _pods[(pod.Namespace, pod.Name)] = pod;
        if (pod.AgentName is { Length: > 0 } agent)
        {
            var key = AgentKey.Of(pod.Namespace, agent);
            Set(_podsByAgent, key).Add(pod.Name);
            _podAgents[(pod.Namespace, pod.Name)] = key;
            _dirty.Add(key);
        }
    }

    public void RemovePod(string ns, string name)
    {
        if (_pods.Remove((ns, name), out var old) && old.AgentName is { Length: > 0 } agent)
        {
            var key = AgentKey.Of(ns, agent);
            if (_podsByAgent.TryGetValue(key, out var set))
            {
                set.Remove(name);
                if (set.Count == 0)
                {
                    _podsByAgent.Remove(key);
                }
            }

            _dirty.Add(key);
        }
    }

    public void Upsert(ReplicaSetSnapshot rs)
    {
        _replicaSets[(rs.Namespace, rs.Name)] = rs;
        if (rs.OwnerDeployment is { } owner)
        {
            _dirty.Add(AgentKey.Of(rs.Namespace, owner));
        }
    }

    public void RemoveReplicaSet(string ns, string name)
    {
        if (_replicaSets.Remove((ns, name), out var old) && old.OwnerDeployment is { } owner)
        {
            _dirty.Add(AgentKey.Of(ns, owner));
        }
    }

    public void Upsert(EventSnapshot e)
    {
        RemoveEvent(e.Namespace, e.Name);
        var agent = AgentOf(e);
        _events[(e.Namespace, e.Name)] = (e, agent);
        if (agent is not null)
        {
            Set(_eventsByAgent, agent).Add((e.Namespace, e.Name));
            _dirty.Add(agent);
        }
    }

    public void RemoveEvent(string ns, string name)
    {
        if (_events.Remove((ns, name), out var old) && old.Agent is { } agent && _eventsByAgent.TryGetValue(agent, out var set))
        {
            set.Remove((ns, name));
            _dirty.Add(agent);
        }
    }

    public void Upsert(PvcSnapshot claim)
    {
        _claims[(claim.Namespace, claim.Name)] = claim;
        MarkNamespaceStorageDirty(claim.Namespace);
    }

    public void RemoveClaim(string ns, string name)
    {
        _claims.Remove((ns, name));
        MarkNamespaceStorageDirty(ns);
    }

    public void Upsert(VolumeSnapshotSnapshot snapshot)
    {
        _volumeSnapshots[(snapshot.Namespace, snapshot.Name)] = snapshot;
        MarkNamespaceStorageDirty(snapshot.Namespace);
    }

    public void RemoveVolumeSnapshot(string ns, string name)
    {
        _volumeSnapshots.Remove((ns, name));
        MarkNamespaceStorageDirty(ns);
    }

    /// <summary>The agent's board row now, or null when no such agent exists.</summary>
    public AgentSummary? Summarize(string agentKey, DateTimeOffset now)
    {
        var (ns, name) = Split(agentKey);
        var deployment = _deployments.GetValueOrDefault((ns, name));
        var pods = PodsOf(agentKey);
        if (deployment is null && pods.Count == 0)
        {
            return null;
        }

        var events = EventsOf(agentKey);
        var health = AgentHealthClassifier.Classify(deployment, pods, events, now, HealthOptions);
        var images = deployment is not null
            ? deployment.Template.Containers.Select(c => c.Image ?? "").Distinct().ToList()
            : pods.SelectMany(p => p.Containers).Select(c => c.Image ?? "").Distinct().ToList();
        return new AgentSummary(ns, name, health,
            health.ReadyPods,
            health.DesiredPods,
            pods.Sum(p => p.Containers.Sum(c => c.RestartCount)),
            LastChange(deployment, pods, events),
            ValueList.From(images),
            deployment is not null);
    }

    /// <summary>Everything about one agent now, or null.</summary>
    public AgentDetail? Detail(string agentKey, DateTimeOffset now)
    {
        if (Summarize(agentKey, now) is not { } summary)
        {
            return null;
        }

        var (ns, name) = Split(agentKey);
        var deployment = _deployments.GetValueOrDefault((ns, name));
        var claimNames = new HashSet<string>(deployment?.Template.ClaimNames ?? []);
        foreach (var pod in PodsOf(agentKey))
        {
            foreach (var v in pod.Volumes.Where(v => v.ClaimName is not null))
            {
                claimNames.Add(v.ClaimName!);
            }
        }

        var claims = _claims.Values
            .Where(c => c.Namespace == ns && (claimNames.Contains(c.Name) || c.Labels.GetValueOrDefault(WellKnownKeys.AgentLabel) == name))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var claimSet = claims.Select(c => c.Name).ToHashSet();
        var snapshots = _volumeSnapshots.Values
            .Where(s => s.Namespace == ns && ((s.SourcePvcName is not null && claimSet.Contains(s.SourcePvcName)) || s.Labels.GetValueOrDefault(WellKnownKeys.AgentLabel) == name))
            .OrderByDescending(s => s.CreationTime ?? s.CreationTimestamp)
            .ToList();
        var replicaSets = _replicaSets.Values
            .Where(r => r.Namespace == ns && r.OwnerDeployment == name)
            .OrderByDescending(r => r.Revision ?? 0)
            .ToList();
        return new AgentDetail(summary, deployment,
            ValueList.From(PodsOf(agentKey).OrderBy(p => p.Name, StringComparer.Ordinal).ToList()),
            ValueList.From(replicaSets),
            ValueList.From(EventsOf(agentKey).OrderByDescending(e => e.LastSeen).ToList()),
            ValueList.From(claims),
            ValueList.From(snapshots));
    }

    private List<PodSnapshot> PodsOf(string agentKey)
    {
        var (ns, _) = Split(agentKey);
        return _podsByAgent.TryGetValue(agentKey, out var names)
            ? names.Select(n => _pods[(ns, n)]).ToList()
            : [];
    }

    private List<EventSnapshot> EventsOf(string agentKey) =>
        _eventsByAgent.TryGetValue(agentKey, out var keys) ? keys.Select(k => _events[k].Event).ToList() : [];

    private string? AgentOf(EventSnapshot e)
    {
        var ns = e.InvolvedObject.Namespace ?? e.Namespace;
        var name = e.InvolvedObject.Name;
        return e.InvolvedObject.Kind switch
        {
            "Pod" => _podAgents.GetValueOrDefault((ns, name)),
            "Deployment" => AgentKey.Of(ns, name),
            "ReplicaSet" => _replicaSets.GetValueOrDefault((ns, name))?.OwnerDeployment is { } owner ? AgentKey.Of(ns, owner) : null,
            _ => null,
        };
    }

    private void MarkNamespaceStorageDirty(string ns)
    {
        // Storage is shown on the agent page only; a namespace's claims are few, so re-deriving its agents' details is cheap.
        foreach (var key in _deployments.Keys.Where(k => k.Ns == ns))
        {
            _dirty.Add(AgentKey.Of(key.Ns, key.Name));
        }
    }

    private static DateTimeOffset? LastChange(DeploymentSnapshot? deployment, List<PodSnapshot> pods, List<EventSnapshot> events)
    {
        var times = new List<DateTimeOffset?>();
        if (deployment is not null)
        {
            times.AddRange(deployment.Conditions.Select(c => c.LastUpdateTime ?? c.LastTransitionTime));
            times.Add(deployment.RestartedAt);
        }

        foreach (var pod in pods)
        {
            times.Add(pod.CreationTimestamp);
            times.Add(pod.DeletionTimestamp);
            foreach (var c in pod.Containers)
            {
                times.Add(StateTime(c.State));
                times.Add(StateTime(c.LastState));
            }
        }

        times.AddRange(events.Select(e => e.LastSeen));
        return times.Where(t => t is not null).Max();
    }

    private static DateTimeOffset? StateTime(ContainerState? state) => state switch
    {
        ContainerState.Running r => r.StartedAt,
        ContainerState.Terminated t => t.FinishedAt ?? t.StartedAt,
        _ => null,
    };

    private static (string Ns, string Name) Split(string agentKey)
    {
        var slash = agentKey.IndexOf('/', StringComparison.Ordinal);
        return (agentKey[..slash], agentKey[(slash + 1)..]);
    }

    private static HashSet<T> Set<TKey, T>(Dictionary<TKey, HashSet<T>> map, TKey key)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var set))
        {
            set = [];
            map[key] = set;
        }

        return set;
    }
}
