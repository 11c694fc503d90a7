using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kosmos.Cluster.Watching;

public static class ClusterCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers the shared watch cache: <see cref="ClusterCache"/> as a singleton, as <see cref="IClusterCache"/> and as a
    /// hosted service (so the host starts it once and stops it at shutdown). Options come from <c>Kosmos:ClusterCache</c>
    /// and <c>Kosmos:Namespaces</c> (an array, or one comma-separated string; default <c>kosmos</c>), validated at start.
    /// An <see cref="IKubernetes"/> singleton must be registered by the caller. Uses the registered
    /// <see cref="TimeProvider"/> (system time unless a test swaps it) and <c>IMeterFactory</c> when there is one.
    /// </summary>
    public static IServiceCollection AddClusterCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterCacheOptions>()
            .Bind(configuration.GetSection(ClusterCacheOptions.SectionName))
            .Configure(options =>
            {
                var namespaces = ReadNamespaces(configuration);
                if (namespaces.Count > 0)
                {
                    options.Namespaces = namespaces;
                }
            })
            .PostConfigure(options =>
            {
                if (options.Namespaces.Count == 0)
                {
                    options.Namespaces = [ClusterCacheOptions.DefaultNamespace];
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterCacheOptions>, ClusterCacheOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClusterCache>();
        services.TryAddSingleton<IClusterCache>(sp => sp.GetRequiredService<ClusterCache>());
        services.AddHostedService(sp => sp.GetRequiredService<ClusterCache>());
        return services;
    }

    private static List<string> ReadNamespaces(IConfiguration configuration)
    {
        var section = configuration.GetSection(ClusterCacheOptions.NamespacesKey);
        var values = section.GetChildren().Select(c => c.Value).ToList();
        if (values.Count == 0 && section.Value is { } single)
        {
            values = [.. single.Split(',')];
        }

        return [.. values.Select(v => v?.Trim() ?? "").Where(v => v.Length > 0)];
    }
}
