using k8s;

namespace Kosmos.Cluster.Connection;

/// <summary>Which cluster the dashboard talks to, and how. Immutable; one per process.</summary>
public sealed record ClusterConnection(KubernetesClientConfiguration Configuration, ClusterIdentity Identity)
{
    public IKubernetes CreateClient() => new Kubernetes(Configuration);

    /// <summary>A plain HTTP API server without credentials: the embedded or a standalone simulator.</summary>
    public static ClusterConnection ForSimulator(Uri url) =>
        new(new KubernetesClientConfiguration { Host = url.ToString().TrimEnd('/') },
            new ClusterIdentity("simulated", url.ToString().TrimEnd('/'), IsSimulated: true));

    public static ClusterConnection FromKubeconfig(string? path, string? context)
    {
        var file = path ?? DefaultKubeconfigPath()
            ?? throw new InvalidOperationException("Kosmos:Cluster:Mode is Kubeconfig but no kubeconfig was found (set Kosmos:Cluster:KubeconfigPath or KUBECONFIG).");
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(file, context);
        return new ClusterConnection(config, new ClusterIdentity(config.CurrentContext ?? context ?? "kubeconfig", config.Host, IsSimulated: false));
    }

    public static ClusterConnection InCluster()
    {
        var config = KubernetesClientConfiguration.InClusterConfig();
        return new ClusterConnection(config, new ClusterIdentity("in-cluster", config.Host, IsSimulated: false));
    }

    /// <summary>
    /// The kubeconfig Auto mode would use, or null. BuildDefaultConfig silently falls back to localhost:8080 when nothing is
    /// configured, so "no cluster configured" is decided here instead.
    /// </summary>
    public static string? DefaultKubeconfigPath()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG")?
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(File.Exists);
        if (fromEnvironment is not null)
        {
            return fromEnvironment;
        }

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home) ? home : null;
    }

    public static bool InClusterAvailable() => KubernetesClientConfiguration.IsInCluster();
}

/// <summary>What the UI shows about the cluster: a name, the API server, and whether it is the simulator.</summary>
public sealed record ClusterIdentity(string Name, string Server, bool IsSimulated);
