using k8s;
using Kosmos.Cluster.Watching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kosmos.Cluster.Tests.Watching;

public sealed class ClusterCacheRegistrationTests
{
    [Fact]
    public async Task AddClusterCache_Resolved_IsOneSingletonBehindEveryServiceItOffers()
    {
        await using var services = Build([]);

        var cache = services.GetRequiredService<ClusterCache>();

        Assert.Same(cache, services.GetRequiredService<IClusterCache>());
        Assert.Contains(cache, services.GetServices<IHostedService>());
        Assert.All(cache.Status.Reflectors, r => Assert.Equal(CacheSyncState.Syncing, r.State));
    }

    [Fact]
    public async Task AddClusterCache_NoNamespacesConfigured_WatchesKosmos()
    {
        await using var services = Build([]);

        Assert.Equal(["kosmos"], services.GetRequiredService<IOptions<ClusterCacheOptions>>().Value.Namespaces);
        Assert.Equal(ClusterResourceKinds.All.Count, services.GetRequiredService<ClusterCache>().Status.Reflectors.Count);
    }

    [Theory]
    [InlineData("array")]
    [InlineData("comma-separated")]
    public async Task AddClusterCache_KosmosNamespaces_OneReflectorPerKindAndNamespace(string form)
    {
        Dictionary<string, string?> settings = form == "array"
            ? new() { ["Kosmos:Namespaces:0"] = "kosmos", ["Kosmos:Namespaces:1"] = "agents-b" }
            : new() { ["Kosmos:Namespaces"] = "kosmos, agents-b" };
        await using var services = Build(settings);

        var reflectors = services.GetRequiredService<ClusterCache>().Status.Reflectors;

        Assert.Equal(["agents-b", "kosmos"], reflectors.Select(r => r.Namespace).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(2 * ClusterResourceKinds.All.Count, reflectors.Count);
    }

    [Fact]
    public async Task AddClusterCache_BadSettings_FailNamingEveryKey()
    {
        await using var services = Build(new()
        {
            ["Kosmos:Namespaces:0"] = "Not_A_Namespace",
            ["Kosmos:ClusterCache:ListPageSize"] = "0",
            ["Kosmos:ClusterCache:MaxBackoff"] = "00:00:00.010",
            ["Kosmos:ClusterCache:SubscriberQueueCapacity"] = "0",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ClusterCacheOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("Kosmos:Namespaces", StringComparison.Ordinal) && f.Contains("Not_A_Namespace", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Kosmos:ClusterCache:ListPageSize", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Kosmos:ClusterCache:MaxBackoff", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Kosmos:ClusterCache:SubscriberQueueCapacity", StringComparison.Ordinal));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();

        // Never contacted: these tests do not start the cache.
        services.AddSingleton<IKubernetes>(new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }));
        services.AddClusterCache(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
