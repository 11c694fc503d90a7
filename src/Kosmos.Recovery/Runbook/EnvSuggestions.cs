using System.Text;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Runbook;

/// <summary>
/// A Set env the evidence supports, for a crash on a missing setting. The crashed run prints the settings it did get
/// (<c>config: KOSMOS_MODEL_URL=http://… KOSMOS_LOG_LEVEL=info</c>). When exactly one of them is named like the missing one
/// (same prefix up to its last underscore: <c>KOSMOS_MODEL_URL</c> for <c>KOSMOS_MODEL_ENDPOINT</c>) and comes from the one
/// ConfigMap the container imports whole (<c>envFrom</c>), the setting was most likely renamed in that ConfigMap: take the
/// missing variable from that key. Nothing is suggested on weaker evidence (no such line, no or several candidates, a
/// Secret): then the Set env dialog only names the missing variable. Pure.
/// </summary>
public static class EnvSuggestions
{
    public static IReadOnlyList<SuggestedStep> Suggest(AgentRef target, IReadOnlyList<ConfigHint> hints, IEnumerable<string> logLines,
        IReadOnlyList<ContainerSnapshot> containers)
    {
        ArgumentNullException.ThrowIfNull(hints);
        ArgumentNullException.ThrowIfNull(logLines);
        ArgumentNullException.ThrowIfNull(containers);
        var had = CrashedRunSettings.Read(logLines).Select(s => s.Key).ToList();
        var steps = new List<SuggestedStep>();
        foreach (var missing in hints.Where(h => h.Detail.Contains("not set in the container's environment", StringComparison.Ordinal)).Select(h => h.What))
        {
            var cut = missing.LastIndexOf('_');
            if (cut <= 0)
            {
                continue;
            }

            var prefix = missing[..(cut + 1)];
            if (had.Where(n => n != missing && n.StartsWith(prefix, StringComparison.Ordinal)).ToList() is not [var similar])
            {
                continue;
            }

            // The container that imports one ConfigMap whole, without a prefix, and does not set the similar variable itself.
            var source = containers
                .Where(c => c.Env.All(e => e.Name != similar))
                .Select(c => (Container: c, ConfigMaps: c.EnvFrom.Where(f => f.Kind == EnvVarSourceKind.ConfigMap && string.IsNullOrEmpty(f.Prefix)).ToList()))
                .Where(x => x.ConfigMaps.Count == 1 && x.Container.EnvFrom.All(f => f.Kind == EnvVarSourceKind.ConfigMap))
                .Select(x => (x.Container.Name, ConfigMap: x.ConfigMaps[0].Name))
                .ToList();
            if (source is not [var (container, configMap)])
            {
                continue;
            }

            var request = new SetEnvRequest(container, [new EnvAssignment(missing, EnvSourceKind.ConfigMap, $"{configMap}/{similar}")], []);
            steps.Add(new SuggestedStep(ActionKind.SetEnv, request.ToActionRequest(), request.Kubectl(target) ?? Patch(target, container, missing, configMap, similar),
                $"Set env of container {container}: {missing} from configmap {configMap}/{similar}. The crashed run had {similar} (from configmap {configMap}, " +
                $"which the container imports whole) but not {missing}: the setting looks renamed. Setting it rolls the pods; no restart is needed."));
        }

        return steps;
    }

    // kubectl set env cannot take a variable from a key of another name; a strategic merge patch can (env merges by name).
    private static string Patch(AgentRef target, string container, string name, string configMap, string key)
    {
        var patch = new StringBuilder()
            .Append("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"").Append(container)
            .Append("\",\"env\":[{\"name\":\"").Append(name)
            .Append("\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"").Append(configMap).Append("\",\"key\":\"").Append(key)
            .Append("\"}}}]}]}}}}");
        return $"kubectl patch deployment {target.Name} -n {target.Namespace} -p '{patch}'";
    }
}
