using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.Tests.Fakes;

/// <summary>
/// A hand-driven <see cref="IAgentConfiguration"/>: tests plant ConfigMaps by name (data, or absent); Secrets are answered
/// from the template alone, as the real reader does. Counts reads, so tests see when the panel asks.
/// </summary>
public sealed class FakeAgentConfiguration : IAgentConfiguration
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _configMaps = new(StringComparer.Ordinal);
    private int _reads;

    public int Reads
    {
        get
        {
            lock (_gate)
            {
                return _reads;
            }
        }
    }

    public void PlantConfigMap(string name, params (string Key, string Value)[] data)
    {
        lock (_gate)
        {
            _configMaps[name] = data.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
        }
    }

    public Task<IReadOnlyList<ConfigSourceState>> ReadAsync(AgentRef target, PodTemplateSnapshot podTemplate, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _reads++;
            IReadOnlyList<ConfigSourceState> states = [.. ConfigSources.Of(podTemplate).Select(s => s.Kind == EnvVarSourceKind.Secret
                ? ConfigSourceState.FromSecret(s)
                : ConfigSourceState.FromConfigMap(s, _configMaps.GetValueOrDefault(s.Name), _configMaps.ContainsKey(s.Name) ? "1" : null))];
            return Task.FromResult(states);
        }
    }
}
