using k8s;
using k8s.Models;
using Kosmos.Cluster.Mapping;
using Kosmos.Cluster.Watching;
using Kosmos.TestSupport;

namespace Kosmos.Cluster.Tests.Watching;

public sealed class PodCompactorTests
{
    public static TheoryData<string> Fixtures => [.. RealPodFiles.Names];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Compact_RealPod_KeepsExactlyWhatTheMapperReadsAndTheCacheKeys(string fixture)
    {
        var pod = KubernetesJson.Deserialize<V1Pod>(RealPodFiles.Json(fixture))!;

        var cached = Assert.IsType<CachedPod>(new PodCompactor().Compact(pod));

        // Everything the board, describe panels and actions read is still there, value for value.
        Assert.Equal(KubernetesModelMapper.ToPodSnapshot(pod), cached.Snapshot);
        Assert.Equal((pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, pod.Metadata.ResourceVersion),
            (cached.Metadata.NamespaceProperty, cached.Metadata.Name, cached.Metadata.Uid, cached.Metadata.ResourceVersion));

        // What nothing reads is gone.
        Assert.Null(cached.Metadata.ManagedFields);
        Assert.Null(cached.Metadata.Annotations);
    }

    [Fact]
    public void Compact_TwoPodsOfOneAgent_HoldTheirRepeatedPartsOnce()
    {
        var compactor = new PodCompactor();
        var first = Pod("web-1", "uid-1", "10.0.0.1");
        var second = Pod("web-2", "uid-2", "10.0.0.2");

        var a = ((CachedPod)compactor.Compact(first)).Snapshot;
        var b = ((CachedPod)compactor.Compact(second)).Snapshot;

        Assert.NotEqual(a, b);
        Assert.Equal(("web-2", "uid-2", "10.0.0.2"), (b.Name, b.Uid, b.PodIP));
        Assert.Same(a.Labels, b.Labels);
        Assert.Same(a.Conditions, b.Conditions);
        Assert.Same(a.NodeName, b.NodeName);
        var (ca, cb) = (a.Containers[0], b.Containers[0]);
        Assert.Same(ca.Image, cb.Image);
        Assert.Same(ca.ImageId, cb.ImageId);
        Assert.Same(ca.Resources, cb.Resources);
        Assert.Same(ca.Ports, cb.Ports);
        Assert.Same(ca.Env, cb.Env);
        Assert.Same(ca.ReadinessProbe, cb.ReadinessProbe);
        Assert.NotSame(ca.ContainerId, cb.ContainerId);

        // The single-stack pod's IP list holds the IP string itself, not a copy.
        Assert.Same(b.PodIP, Assert.Single(b.PodIPs));
    }

    private static V1Pod Pod(string name, string uid, string ip)
    {
        // Deserialized per pod, as the client does: equal strings arrive as different instances.
        var pod = KubernetesJson.Deserialize<V1Pod>(RealPodFiles.Json(Kosmos.Cluster.Tests.Fixtures.RealPods.NginxRunningHealthy))!;
        pod.Metadata.Name = name;
        pod.Metadata.Uid = uid;
        pod.Status.PodIP = ip;
        pod.Status.PodIPs = [new V1PodIP { Ip = ip }];
        pod.Spec.Containers[0].Env = [new V1EnvVar { Name = "MODE", Value = "serve" }];
        pod.Spec.Containers[0].ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/readyz", Port = 8080 }, PeriodSeconds = 5 };
        pod.Status.ContainerStatuses[0].ContainerID = "containerd://" + uid;
        return pod;
    }
}
