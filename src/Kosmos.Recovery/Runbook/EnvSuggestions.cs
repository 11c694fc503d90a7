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
/// Secret): then the Set env dialog only names the missing variable. Whenever the container imports exactly one ConfigMap
/// whole (and no Secret), Set config key is suggested too: the missing variable as a new key of that ConfigMap, pre-filled
/// with the renamed setting's value when there is one, then a restart. Only the container that printed the log
/// (<c>logContainer</c>) is considered: another container's ConfigMap says nothing about the settings this one printed.
/// Without it the log can be attributed only in a one-container pod; otherwise nothing is suggested. Pure.
/// </summary>
public static class EnvSuggestions
{
    /// <summary>
    /// The steps for the missing variables among <paramref name="hints"/>, read from <paramref name="logLines"/>, the crashed
    /// run of <paramref name="logContainer"/> (null: not known) among the template's <paramref name="containers"/>.
    /// </summary>
    public static IReadOnlyList<SuggestedStep> Suggest(AgentRef target, IReadOnlyList<ConfigHint> hints, IEnumerable<string> logLines, string? logContainer,
        IReadOnlyList<ContainerSnapshot> containers)
    {
        ArgumentNullException.ThrowIfNull(hints);
        ArgumentNullException.ThrowIfNull(logLines);
        ArgumentNullException.ThrowIfNull(containers);

        // The settings and the missing variable were printed by one container; a suggestion for another one would give it a
        // value it never printed (and its ConfigMap may feed a different program).
        var crashed = logContainer is null
            ? containers.Count == 1 ? containers[0] : null
            : containers.FirstOrDefault(c => c.Name == logContainer);
        if (crashed is null)
        {
            return [];
        }

        var had = CrashedRunSettings.Read(logLines).GroupBy(s => s.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var steps = new List<SuggestedStep>();
        var configSteps = new List<SuggestedStep>();
        foreach (var missing in hints.Where(h => h.Detail.Contains("not set in the container's environment", StringComparison.Ordinal)).Select(h => h.What))
        {
            var cut = missing.LastIndexOf('_');
            var prefix = cut > 0 ? missing[..(cut + 1)] : null;
            var similar = prefix is not null && had.Keys.Where(n => n != missing && n.StartsWith(prefix, StringComparison.Ordinal)).ToList() is [var one] ? one : null;

            // The container that imports one ConfigMap whole, without a prefix, and does not set the similar variable itself.
            var source = new[] { crashed }
                .Where(c => similar is null || c.Env.All(e => e.Name != similar))
                .Select(c => (Container: c, ConfigMaps: c.EnvFrom.Where(f => f.Kind == EnvVarSourceKind.ConfigMap && string.IsNullOrEmpty(f.Prefix)).ToList()))
                .Where(x => x.ConfigMaps.Count == 1 && x.Container.EnvFrom.All(f => f.Kind == EnvVarSourceKind.ConfigMap))
                .Select(x => (x.Container.Name, ConfigMap: x.ConfigMaps[0].Name))
                .ToList();
            if (source is not [var (container, configMap)])
            {
                continue;
            }

            if (similar is not null)
            {
                var request = new SetEnvRequest(container, [new EnvAssignment(missing, EnvSourceKind.ConfigMap, $"{configMap}/{similar}")], []);
                steps.Add(new SuggestedStep(ActionKind.SetEnv, request.ToActionRequest(), request.Kubectl(target) ?? Patch(target, container, missing, configMap, similar),
                    $"Set env of container {container}: {missing} from configmap {configMap}/{similar}. The crashed run of container {container} had {similar} (from configmap {configMap}, " +
                    $"which the container imports whole) but not {missing}: the setting looks renamed. Setting it rolls the pods; no restart is needed."));
            }

            configSteps.Add(ConfigKeyStep(target, container, configMap, missing, similar, similar is null ? null : had[similar]));
        }

        // Changing the pod template (set env) comes first where the evidence supports it; the ConfigMap route is the other way.
        steps.AddRange(configSteps);
        return steps;
    }

    // The container imports the ConfigMap whole, so a new key of it is the missing variable at the next start.
    private static SuggestedStep ConfigKeyStep(AgentRef target, string container, string configMap, string missing, string? similar, string? value)
    {
        var request = new SetConfigKeyRequest(configMap, missing, value);
        var command = (value is null ? request with { Value = "<value>" } : request).Kubectl(target);
        var why = $"Set config key {missing} in configmap {configMap}, which container {container} imports whole (envFrom), and restart the pods: " +
            "a running container does not see a changed ConfigMap. " + (value is null
                ? "Type the value it should have in the dialog."
                : $"Pre-filled with the value of {similar}, which the crashed run had from the same ConfigMap (the setting looks renamed).");
        return new SuggestedStep(ActionKind.SetConfigKey, value is null ? new SetConfigKeyRequest(configMap, missing, null).ToActionRequest() : request.ToActionRequest(), command, why);
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
