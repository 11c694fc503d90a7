using Kosmos.Dashboard.Audit;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Incidents;

namespace Kosmos.Dashboard.Incidents;

/// <summary>Incidents: the store in the audit database, the service fed by the board, the executor and the approvals, and the live audit feed.</summary>
public static class IncidentSetup
{
    /// <summary>Call after the live state and the recovery actions (the service starts after the board and the audit schema).</summary>
    public static IServiceCollection AddIncidents(this IServiceCollection services)
    {
        services.AddSingleton<IIncidentStore, SqliteIncidentStore>();
        services.AddSingleton<IncidentService>();
        services.AddSingleton<IActionObserver>(sp => sp.GetRequiredService<IncidentService>());
        services.AddSingleton<IApprovalObserver>(sp => sp.GetRequiredService<IncidentService>());
        services.AddHostedService(sp => sp.GetRequiredService<IncidentService>());
        services.AddHostedService<ApprovalTimelineFeed>();
        services.AddSingleton<AuditFeed>();
        services.AddSingleton<IActionObserver>(sp => sp.GetRequiredService<AuditFeed>());
        return services;
    }
}
