using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Kosmos.Cluster.Mapping;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Watching;

/// <summary>
/// The cache's transform for pods (client-go's <c>SetTransform</c>): maps each arriving <see cref="V1Pod"/> to a
/// <see cref="CachedPod"/> once, on the reflector's thread, and shares equal immutable parts between pods. Pods of one
/// agent repeat the same labels, image, digest, ports, resources, probes, env, conditions and node, so each of those is held
/// once instead of once per pod (at 20,000 pods that is most of the snapshot's weight). Thread-safe.
/// </summary>
internal sealed class PodCompactor
{
    // Distinct shared values, not pods: a fleet of 10,000 agents has a few tens of thousands. Past this the pool starts
    // again (sharing is an optimisation only: equal values stay equal), so a cluster that churns cannot grow it for ever.
    private const int PoolCapacity = 250_000;

    private readonly ConcurrentDictionary<object, object> _pool = new();

    /// <summary>The pod as the cache keeps it, or the pod itself when it cannot be mapped (the board then logs and skips it).</summary>
    public IKubernetesObject<V1ObjectMeta> Compact(V1Pod pod)
    {
        try
        {
            return new CachedPod(Share(KubernetesModelMapper.ToPodSnapshot(pod)));
        }
        catch (Exception ex) when (ex is InvalidCastException or ArgumentException or FormatException or InvalidOperationException)
        {
            return pod;
        }
    }

    /// <summary>The same snapshot (equal by value) with its repeated parts taken from the pool.</summary>
    internal PodSnapshot Share(PodSnapshot pod)
    {
        var podIp = pod.PodIP;
        return pod with
        {
            Namespace = Pooled(pod.Namespace),
            Labels = Pooled(pod.Labels),
            Annotations = Pooled(pod.Annotations),
            Reason = PooledOrNull(pod.Reason),
            Message = PooledOrNull(pod.Message),
            NodeName = PooledOrNull(pod.NodeName),
            HostIP = PooledOrNull(pod.HostIP),

            // The usual single-stack pod lists its one IP again: hold that string once.
            PodIPs = pod.PodIPs is [var only] && only == podIp ? [podIp!] : pod.PodIPs,
            Conditions = Pooled(pod.Conditions),
            Owner = PooledOrNull(pod.Owner),
            InitContainers = Containers(pod.InitContainers),
            Containers = Containers(pod.Containers),
            Volumes = Pooled(pod.Volumes),
            RestartPolicy = PooledOrNull(pod.RestartPolicy),
            QosClass = PooledOrNull(pod.QosClass),
            ServiceAccountName = PooledOrNull(pod.ServiceAccountName),
        };
    }

    private ValueList<ContainerSnapshot> Containers(ValueList<ContainerSnapshot> containers)
    {
        if (containers.Count == 0)
        {
            return containers;
        }

        var shared = new ContainerSnapshot[containers.Count];
        for (var i = 0; i < shared.Length; i++)
        {
            var c = containers[i];
            shared[i] = c with
            {
                Name = Pooled(c.Name),
                Image = Pooled(c.Image),
                ImageId = PooledOrNull(c.ImageId),
                Command = Pooled(c.Command),
                Args = Pooled(c.Args),
                Ports = Pooled(c.Ports),
                RestartPolicy = PooledOrNull(c.RestartPolicy),
                State = PooledOrNull(c.State),
                LastState = PooledOrNull(c.LastState),
                Resources = Pooled(c.Resources),
                Env = Pooled(c.Env),
                EnvFrom = Pooled(c.EnvFrom),
                LivenessProbe = PooledOrNull(c.LivenessProbe),
                ReadinessProbe = PooledOrNull(c.ReadinessProbe),
                StartupProbe = PooledOrNull(c.StartupProbe),
                VolumeMounts = Pooled(c.VolumeMounts),
            };
        }

        return [.. shared];
    }

    private T? PooledOrNull<T>(T? value)
        where T : class => value is null ? null : Pooled(value);

    private T Pooled<T>(T value)
        where T : class
    {
        if (_pool.TryGetValue(value, out var held))
        {
            return (T)held;
        }

        if (_pool.Count >= PoolCapacity)
        {
            _pool.Clear();
        }

        return (T)_pool.GetOrAdd(value, value);
    }
}
