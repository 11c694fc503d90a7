using Kosmos.Recovery.Actions;
using Microsoft.Extensions.DependencyInjection;

namespace Kosmos.Cluster.Actions;

public static class ActionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the cluster side of every recovery action as <see cref="IActionHandler"/> singletons. Needs an
    /// <c>IKubernetes</c>, an <c>IAgentBoard</c> and a <see cref="TimeProvider"/> registered by the caller.
    /// </summary>
    public static IServiceCollection AddClusterActions(this IServiceCollection services)
    {
        services.AddSingleton<IActionHandler, RestartAgentAction>();
        return services;
    }
}
