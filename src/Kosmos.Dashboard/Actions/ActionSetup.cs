using Kosmos.Cluster.Actions;
using Kosmos.Dashboard.Audit;
using Kosmos.Dashboard.Configuration;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Actions;

/// <summary>Recovery actions: the cluster handlers, the one executor every button and endpoint uses, and the audit store.</summary>
public static class ActionSetup
{
    public static void AddRecoveryActions(this IServiceCollection services, KosmosOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddKosmosAudit(options.Audit, contentRoot);
        // Before AddClusterActions, which only adds its defaults when none are registered.
        services.AddSingleton(_ => options.Actions.ToSetResourcesSettings());
        services.AddSingleton(new StateSettings(options.Actions.MaxStateBytes));
        services.AddClusterActions();
        services.AddSingleton<IActionExecutor, ActionExecutor>();
        services.AddProblemDetails();
    }
}
