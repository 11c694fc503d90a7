using Kosmos.Cluster.Board;
using Kosmos.Cluster.Connection;
using Kosmos.Cluster.Logs;
using Kosmos.Cluster.Watching;
using Kosmos.Recovery.Live;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kosmos.Dashboard.Infrastructure;

/// <summary>
/// The live data path: one Kubernetes client, the shared watch cache, the agent board on top of it, on-demand logs,
/// and the /healthz (alive) and /readyz (every cache synced) endpoints.
/// </summary>
public static class LiveStateSetup
{
    public static void AddLiveState(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<ClusterConnection>().CreateClient());
        services.AddClusterCache(configuration);

        // Registered after the cache, so the host starts the cache first.
        services.AddSingleton<AgentBoard>();
        services.AddSingleton<IAgentBoard>(sp => sp.GetRequiredService<AgentBoard>());
        services.AddHostedService(sp => sp.GetRequiredService<AgentBoard>());
        services.AddSingleton<IPodLogs, ClusterPodLogs>();
        services.AddHealthChecks().AddCheck<CacheSyncedCheck>("cluster-cache", tags: ["ready"]);
    }

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
    }
}

/// <summary>Ready once every kind in every watched namespace has listed once (or was found degraded and said so).</summary>
internal sealed class CacheSyncedCheck(IClusterCache cache) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(200));
        try
        {
            await cache.WaitForSyncAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            var waiting = cache.Status.Reflectors.Where(r => r.State == CacheSyncState.Syncing).Select(r => $"{r.Kind.ResourceName()} in {r.Namespace}");
            return HealthCheckResult.Unhealthy("still syncing: " + string.Join(", ", waiting));
        }

        var degraded = cache.Status.Degraded.Select(r => $"{r.Kind.ResourceName()} in {r.Namespace}: {r.Reason}").ToList();
        return degraded.Count == 0
            ? HealthCheckResult.Healthy("every cache synced")
            : HealthCheckResult.Degraded("synced, degraded kinds: " + string.Join("; ", degraded));
    }
}
