using Kosmos.Cluster.Actions;
using Kosmos.Dashboard.Approvals;
using Kosmos.Dashboard.Audit;
using Kosmos.Dashboard.Configuration;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;

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
        services.AddSingleton(_ => new ResetSettings(options.Actions.EffectiveManifestsPath));
        services.AddClusterActions();

        // Import replaces every conversation: offered only here, where the executor's approval gate enforces typed
        // confirmation and an incident commander's approval (ActionCatalog.ImportState).
        services.AddStateImport();
        services.AddSingleton<ActionActivityHub>();
        services.AddSingleton<IActionActivity>(sp => sp.GetRequiredService<ActionActivityHub>());
        services.AddSingleton<ApprovalStore>();
        services.AddSingleton<IApprovals>(sp => sp.GetRequiredService<ApprovalStore>());
        services.AddSingleton<ActionExecutor>();
        services.AddSingleton<IActionExecutor>(sp => sp.GetRequiredService<ActionExecutor>());
        services.AddSingleton<IVerifyAgain>(sp => sp.GetRequiredService<ActionExecutor>());
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<IApprovalDecisions>(sp => sp.GetRequiredService<ApprovalService>());
        services.AddHostedService<ApprovalExpiry>();

        // Enum values (plan step states, statuses) as names in every HTTP answer, as the messages already spell them.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddProblemDetails();
    }
}
