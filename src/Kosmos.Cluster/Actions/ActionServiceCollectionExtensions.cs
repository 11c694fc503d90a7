using Kosmos.Cluster.Exec;
using Kosmos.Recovery.Actions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kosmos.Cluster.Actions;

public static class ActionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the cluster side of every recovery action as <see cref="IActionHandler"/> singletons. Needs an
    /// <c>IKubernetes</c>, an <c>IAgentBoard</c> and a <see cref="TimeProvider"/> registered by the caller;
    /// <see cref="SetResourcesSettings"/>, <see cref="StateSettings"/> and <see cref="ResetSettings"/> default unless the
    /// caller registered its own first.
    /// </summary>
    public static IServiceCollection AddClusterActions(this IServiceCollection services)
    {
        services.TryAddSingleton(SetResourcesSettings.Default);
        services.TryAddSingleton(StateSettings.Default);
        services.TryAddSingleton(new ResetSettings(Path.Combine(AppContext.BaseDirectory, "deploy", "agents")));
        services.TryAddSingleton<PodExec>();
        services.AddSingleton<IActionHandler, RestartAgentAction>();
        services.AddSingleton<IActionHandler, SetResourcesAction>();
        services.AddSingleton<IActionHandler, SetEnvAction>();
        services.AddSingleton<IActionHandler, SetImageAction>();
        services.AddSingleton<IActionHandler, SetConfigKeyAction>();
        services.AddSingleton<IActionHandler, RestartPodAction>();
        services.AddSingleton<IActionHandler, ResetAction>();
        services.AddSingleton<IActionHandler, ExportStateAction>();
        services.AddSingleton<IActionHandler, RestoreSnapshotAction>();
        services.TryAddSingleton<IActionEvents, KubernetesActionEvents>();
        return services;
    }

    /// <summary>
    /// Registers import-state (<see cref="ImportStateAction"/>), which needs an <see cref="IStateExports"/>. Call it only where
    /// the executor enforces typed confirmation and an incident commander's approval: the HTTP API and the UI offer an action
    /// exactly when its handler is registered.
    /// </summary>
    public static IServiceCollection AddStateImport(this IServiceCollection services)
    {
        services.AddSingleton<IActionHandler, ImportStateAction>();
        return services;
    }
}
