namespace Kosmos.KubeSim.Runtime;

/// <summary>The one node the simulated kubelet runs and the scheduler places pods on. Immutable.</summary>
public sealed record SimNode(string Name, string HostIp, long AllocatableMilliCpu, long AllocatableMemoryBytes, int MaxPods)
{
    public static SimNode Default { get; } = new("kosmos-node-1", "172.18.0.2", 8000, 32L * 1024 * 1024 * 1024, 110);

    /// <summary>What pods' nodeSelectors are matched against.</summary>
    public IReadOnlyDictionary<string, string> Labels => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["kubernetes.io/hostname"] = Name,
        ["kubernetes.io/os"] = "linux",
        ["kubernetes.io/arch"] = "amd64",
    };
}
