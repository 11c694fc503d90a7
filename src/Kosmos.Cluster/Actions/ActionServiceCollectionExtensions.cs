using Kosmos.Recovery.Actions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kosmos.Cluster.Actions;

public static class ActionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the cluster side of every recovery action as <see cref="IActionHandler"/> singletons. Needs an
    /// <c>IKubernetes</c>, an <c>IAgentBoard</c> and a <see cref="TimeProvider"/> registered by the caller;
    /// <see cref="SetResourcesSettings"/> defaults unless the caller registered its own first.
    /// </summary>
    public static IServiceCollection AddClusterActions(this IServiceCollection services)
    {
        services.TryAddSingleton(SetResourcesSettings.Default);
        services.AddSingleton<IActionHandler, RestartAgentAction>();
        services.AddSingleton<IActionHandler, SetResourcesAction>();
        services.AddSingleton<IActionHandler, SetEnvAction>();
        return services;
    }
}
