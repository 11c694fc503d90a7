using k8s;
using Kosmos.Cluster.Actions;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Config;

/// <summary>
/// Reads the ConfigMaps an agent's pod template names, one GET each, when asked (the describe panel opens); no watch, since
/// the dashboard needs them only then. Secrets are never read: their keys come from the template. Thread-safe; holds no
/// state but the client.
/// </summary>
public sealed class ClusterAgentConfiguration(IKubernetes client) : IAgentConfiguration
{
    public async Task<IReadOnlyList<ConfigSourceState>> ReadAsync(AgentRef target, PodTemplateSnapshot podTemplate, CancellationToken cancellationToken)
    {
        var states = new List<ConfigSourceState>();
        foreach (var source in ConfigSources.Of(podTemplate))
        {
            states.Add(source.Kind == EnvVarSourceKind.Secret ? ConfigSourceState.FromSecret(source) : await ReadConfigMapAsync(target, source, cancellationToken));
        }

        return states;
    }

    private async Task<ConfigSourceState> ReadConfigMapAsync(AgentRef target, ConfigSource source, CancellationToken ct)
    {
        try
        {
            var configMap = await client.CoreV1.ReadNamespacedConfigMapAsync(source.Name, target.Namespace, cancellationToken: ct);
            return ConfigSourceState.FromConfigMap(source, configMap.Data?.ToDictionary() ?? [], configMap.Metadata.ResourceVersion);
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            var error = ApiErrors.From(ex, $"read of configmap {target.Namespace}/{source.Name}");
            return error.Failure == ActionFailure.NotFound
                ? ConfigSourceState.FromConfigMap(source, data: null, resourceVersion: null)
                : new ConfigSourceState(source, null, ValueList<ConfigKeyState>.Empty, null, error.Message);
        }
    }
}
