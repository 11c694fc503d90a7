using Kosmos.Cluster.Board;
using Kosmos.Cluster.Config;
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
        services.AddSingleton<IAgentConfiguration, ClusterAgentConfiguration>();
        services.AddHealthChecks().AddCheck<CacheSyncedCheck>("cluster-cache", tags: ["ready"]);
    }

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = WriteStatusAndReasonAsync,
        }).AllowAnonymous();
    }

    // "Healthy", or "Degraded: stale: pods in kosmos (last update 12s ago: …)" — the reason, not just the verdict.
    private static Task WriteStatusAndReasonAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "text/plain; charset=utf-8";
        var reasons = report.Entries.Values.Where(e => e.Status != HealthStatus.Healthy && !string.IsNullOrEmpty(e.Description)).Select(e => e.Description);
        return http.Response.WriteAsync(report.Status == HealthStatus.Healthy ? "Healthy" : $"{report.Status}: {string.Join("; ", reasons)}");
    }
}

/// <summary>
/// Ready once every kind in every watched namespace has listed once (or was found degraded and said so). A stale kind (its
/// watch failing for more than StaleAfter) makes the answer Degraded, still 200: the cause is the API server, which every
/// replica shares, so failing readiness would only take the dashboard away while the banner can say what is wrong.
/// </summary>
internal sealed class CacheSyncedCheck(IClusterCache cache, TimeProvider time) : IHealthCheck
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

        var status = cache.Status;
        var now = time.GetUtcNow();
        var stale = status.Stale
            .Select(r => $"{r.Kind.ResourceName()} in {r.Namespace} (last update {Ago(r.LastContactAt ?? r.FailingSince, now)}: {r.LastError})").ToList();
        var degraded = status.Degraded.Select(r => $"{r.Kind.ResourceName()} in {r.Namespace}: {r.Reason}").ToList();
        var problems = new List<string>();
        if (stale.Count > 0)
        {
            problems.Add("stale: " + string.Join(", ", stale));
        }

        if (degraded.Count > 0)
        {
            problems.Add("synced, degraded kinds: " + string.Join("; ", degraded));
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy("every cache synced")
            : HealthCheckResult.Degraded(string.Join("; ", problems));
    }

    private static string Ago(DateTimeOffset? at, DateTimeOffset now) =>
        at is null ? "never" : $"{Math.Max(0, (int)(now - at.Value).TotalSeconds)}s ago";
}
