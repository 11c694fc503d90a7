using Kosmos.Cluster.Connection;
using Kosmos.Dashboard.Configuration;
using Kosmos.KubeSim;

namespace Kosmos.Dashboard.Infrastructure;

/// <summary>
/// Decides which cluster to use (Kosmos:Cluster:Mode) and, in Simulated mode, starts the embedded simulator on loopback.
/// The dashboard then talks to whichever cluster it is through KubernetesClient over HTTP — the simulator gets no shortcut.
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
            log.Information("Cluster mode Auto resolved to {ClusterMode}", mode);
        }

        ClusterConnection connection;
        switch (mode)
        {
            case ClusterMode.Simulated:
                var simulator = await StartOutsideEntryPointFlowAsync(new SimulatorOptions
                {
                    Port = options.Simulator.Port,
                    TimeScale = options.Simulator.TimeScale,
                    SeedDemoFleet = options.Simulator.SeedDemoFleet,
                });
                services.AddSingleton(simulator);
                services.AddHostedService<EmbeddedSimulatorLifetime>();
                connection = ClusterConnection.ForSimulator(simulator.Url);
                log.Information("Embedded Kubernetes API simulator listening on {SimulatorUrl} (try: kubectl --server {SimulatorUrl} get pods -n kosmos)",
                    simulator.Url, simulator.Url);
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
