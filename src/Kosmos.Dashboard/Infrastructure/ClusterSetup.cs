using Kosmos.Cluster.Connection;
using Kosmos.Dashboard.Configuration;
#if KOSMOS_EMBEDDED_SIMULATOR
using Kosmos.KubeSim;
#endif

namespace Kosmos.Dashboard.Infrastructure;

/// <summary>
/// Decides which cluster to use (Kosmos:Cluster:Mode) and, in Simulated mode, starts the embedded simulator on loopback.
/// The dashboard then talks to whichever cluster it is through KubernetesClient over HTTP — the simulator gets no shortcut.
/// A production build (<c>-p:KosmosEmbeddedSimulator=false</c>, the container image) has no simulator: Simulated mode,
/// and Auto with no cluster to find, stop start-up with an error that says so.
/// </summary>
public static class ClusterSetup
{
    public static async Task<ClusterConnection> ConnectAsync(KosmosOptions options, IServiceCollection services, Serilog.ILogger log)
    {
        var mode = Enum.Parse<ClusterMode>(options.Cluster.Mode, ignoreCase: true);
        if (mode == ClusterMode.Auto)
        {
            mode = options.Cluster.KubeconfigPath is not null || ClusterConnection.DefaultKubeconfigPath() is not null ? ClusterMode.Kubeconfig
                : ClusterConnection.InClusterAvailable() ? ClusterMode.InCluster
                : ClusterMode.Simulated;
            if (mode == ClusterMode.Simulated && !HasEmbeddedSimulator)
            {
                throw new InvalidOperationException(
                    "Kosmos:Cluster:Mode is Auto but no cluster was found: no kubeconfig (Kosmos:Cluster:KubeconfigPath, KUBECONFIG, " +
                    "~/.kube/config) and not running in a pod with a service account. This build has no embedded simulator to fall back to.");
            }
            log.Information("Cluster mode Auto resolved to {ClusterMode}", mode);
        }

        ClusterConnection connection;
        switch (mode)
        {
            case ClusterMode.Simulated:
                connection = await StartSimulatorAsync(options, services, log);
                break;
            case ClusterMode.Kubeconfig:
                connection = ClusterConnection.FromKubeconfig(options.Cluster.KubeconfigPath, options.Cluster.Context);
                break;
            default:
                connection = ClusterConnection.InCluster();
                break;
        }

        log.Information("Using cluster {ClusterName} at {ClusterServer}", connection.Identity.Name, connection.Identity.Server);
        services.AddSingleton(connection);
        services.AddSingleton(connection.Identity);
        return connection;
    }

    /// <summary>Whether this build carries the embedded simulator (<c>KosmosEmbeddedSimulator</c>, on unless the publish turns it off).</summary>
    public static bool HasEmbeddedSimulator =>
#if KOSMOS_EMBEDDED_SIMULATOR
        true;
#else
        false;
#endif

#if KOSMOS_EMBEDDED_SIMULATOR
    private static async Task<ClusterConnection> StartSimulatorAsync(KosmosOptions options, IServiceCollection services, Serilog.ILogger log)
    {
        var simulator = await StartOutsideEntryPointFlowAsync(new SimulatorOptions
        {
            Port = options.Simulator.Port,
            TimeScale = options.Simulator.TimeScale,
            SeedDemoFleet = options.Simulator.SeedDemoFleet,
        });
        services.AddSingleton(simulator);
        services.AddHostedService<EmbeddedSimulatorLifetime>();
        log.Information("Embedded Kubernetes API simulator listening on {SimulatorUrl} (try: kubectl --server {SimulatorUrl} get pods -n kosmos)",
            simulator.Url, simulator.Url);
        return ClusterConnection.ForSimulator(simulator.Url);
    }

    // The simulator's HTTP front is a host of its own. Tools that run Program to find its host (WebApplicationFactory,
    // dotnet-ef, OpenAPI generators: HostFactoryResolver) take the first host built in the entry point's async flow,
    // which would be the simulator's, not the dashboard's. Starting it with the execution context not flowing hides it.
    private static Task<KubeSimulator> StartOutsideEntryPointFlowAsync(SimulatorOptions options)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => KubeSimulator.StartAsync(options));
        }
    }
}

/// <summary>Stops the embedded simulator with the application.</summary>
internal sealed class EmbeddedSimulatorLifetime(KubeSimulator simulator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await simulator.DisposeAsync();
}
#else
    private static Task<ClusterConnection> StartSimulatorAsync(KosmosOptions options, IServiceCollection services, Serilog.ILogger log) =>
        throw new InvalidOperationException(
            "Kosmos:Cluster:Mode is Simulated, but this build has no embedded simulator (it was published with KosmosEmbeddedSimulator=false, " +
            "as the container image is). Use Kubeconfig or InCluster, or run the simulator on its own and point a kubeconfig at it.");
}
#endif
