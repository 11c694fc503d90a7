using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// What set-config-key is given: one key of a ConfigMap the agent reads, and its new value. Carried in an
/// <see cref="ActionRequest"/> as <c>configMap</c>, <c>key</c> and <c>value</c>. Immutable.
/// </summary>
public sealed record SetConfigKeyRequest(string? ConfigMap, string? Key, string? Value)
{
    public const string ConfigMapKey = "configMap";
    public const string KeyKey = "key";
    public const string ValueKey = "value";

    public static IReadOnlyList<string> Keys { get; } = [ConfigMapKey, KeyKey, ValueKey];

    public ActionRequest ToActionRequest()
    {
        var entries = new List<(string, string)>();
        if (ConfigMap is not null)
        {
            entries.Add((ConfigMapKey, ConfigMap.Trim()));
        }

        if (Key is not null)
        {
            entries.Add((KeyKey, Key.Trim()));
        }

        // The value is kept as typed: leading or trailing spaces may be meant.
        if (Value is not null)
        {
            entries.Add((ValueKey, Value));
        }

        return new ActionRequest(StringMap.Of([.. entries]));
    }

    /// <summary>The request an <see cref="ActionRequest"/> carries; keys it does not know are returned in <paramref name="unknown"/>.</summary>
    public static SetConfigKeyRequest From(ActionRequest request, out IReadOnlyList<string> unknown)
    {
        ArgumentNullException.ThrowIfNull(request);
        unknown = [.. request.Values.Keys.Where(k => !Keys.Contains(k)).Order(StringComparer.Ordinal)];
        return new SetConfigKeyRequest(request.Values.GetValueOrDefault(ConfigMapKey)?.Trim(), request.Values.GetValueOrDefault(KeyKey)?.Trim(),
            request.Values.GetValueOrDefault(ValueKey));
    }

    /// <summary>The merge patch of the ConfigMap's <c>data</c> that sets the key (what kubectl's <c>--type=merge -p</c> takes).</summary>
    public string DataPatch => Patch(Value);

    /// <summary>The value as others may read it: <see cref="SecretNames.Hidden"/> when the key's name looks secret.</summary>
    public string? ShownValue => SecretNames.Shown(Key ?? "", Value);

    private string Patch(string? value) => new JsonObject { ["data"] = new JsonObject { [Key ?? ""] = value } }.ToJsonString(Readable);

    // A command a person reads and pastes into a shell (quoted there): quotes and non-ASCII as themselves, not \u escapes.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <c>kubectl patch configmap x -n ns --type=merge -p '{"data":{...}}'</c> and then <c>kubectl rollout restart</c>: env
    /// taken from a ConfigMap is read only when a container starts. A value whose key looks secret is shown hidden
    /// (<see cref="ShownValue"/>): the command is previewed, audited and may be on a shared screen.
    /// </summary>
    public string Kubectl(AgentRef target) =>
        $"kubectl patch configmap {ConfigMap} -n {target.Namespace} --type=merge -p {Quote(Patch(ShownValue))} && {Restart(target)}";

    /// <summary>
    /// The change without any value, for the Kubernetes Event (anyone who may list events in the namespace reads it): the
    /// ConfigMap and key only; the audit keeps old → new.
    /// </summary>
    public string ValueFreeCommand(AgentRef target) =>
        $"kubectl patch configmap {ConfigMap} -n {target.Namespace} --type=merge (data.{Key}; value not recorded in events) && {Restart(target)}";

    private static string Restart(AgentRef target) => $"kubectl rollout restart deployment/{target.Name} -n {target.Namespace}";

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>
/// A ConfigMap or Secret an agent's pod template reads, and how: <see cref="AllKeys"/> when it is imported whole (envFrom, a
/// volume), otherwise only the <see cref="ReferencedKeys"/> (env valueFrom key references). Names only, never values.
/// </summary>
/// <param name="Kind"><see cref="EnvVarSourceKind.ConfigMap"/> or <see cref="EnvVarSourceKind.Secret"/>.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Uses">How the template reads it, in words ("envFrom of container agent", "env KOSMOS_API_KEY of container agent", "volume config").</param>
/// <param name="AllKeys">Every key is read (envFrom or a volume).</param>
/// <param name="ReferencedKeys">The keys env variables take (valueFrom), in order.</param>
/// <param name="Optional">Every reference is optional: the pods start without it.</param>
public sealed record ConfigSource(EnvVarSourceKind Kind, string Name, ValueList<string> Uses, bool AllKeys, ValueList<string> ReferencedKeys, bool Optional)
{
    /// <summary>"configmap researcher-config" / "secret researcher-credentials".</summary>
    public string Description => (Kind == EnvVarSourceKind.Secret ? "secret " : "configmap ") + Name;

    /// <summary>Whether the agent reads <paramref name="key"/> of it.</summary>
    public bool Reads(string key) => AllKeys || ReferencedKeys.Contains(key);
}

/// <summary>Which ConfigMaps and Secrets a pod template reads: a pure function of the template (no values involved).</summary>
public static class ConfigSources
{
    public static IReadOnlyList<ConfigSource> Of(PodTemplateSnapshot template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var found = new List<(EnvVarSourceKind Kind, string Name, string Use, string? Key, bool Optional)>();
        foreach (var c in template.InitContainers.Concat(template.Containers))
        {
            foreach (var from in c.EnvFrom.Where(f => f.Kind is EnvVarSourceKind.ConfigMap or EnvVarSourceKind.Secret))
            {
                found.Add((from.Kind, from.Name, $"envFrom of container {c.Name}" + (string.IsNullOrEmpty(from.Prefix) ? "" : $" (prefix {from.Prefix})"), null, from.Optional));
            }

            foreach (var env in c.Env)
            {
                if (KeyReference(env) is { } reference)
                {
                    found.Add((env.Kind, reference.Name, $"env {env.Name} of container {c.Name}", reference.Key, env.Optional));
                }
            }
        }

        foreach (var volume in template.Volumes.Where(v => v.Kind is "ConfigMap" or "Secret" && !string.IsNullOrEmpty(v.Source)))
        {
            found.Add((volume.Kind == "Secret" ? EnvVarSourceKind.Secret : EnvVarSourceKind.ConfigMap, volume.Source!, $"volume {volume.Name}", null, false));
        }

        return [.. found
            .GroupBy(f => (f.Kind, f.Name))
            .OrderBy(g => g.Key.Kind == EnvVarSourceKind.Secret).ThenBy(g => g.Key.Name, StringComparer.Ordinal)
            .Select(g => new ConfigSource(g.Key.Kind, g.Key.Name, [.. g.Select(f => f.Use).Distinct(StringComparer.Ordinal)], g.Any(f => f.Key is null),
                [.. g.Where(f => f.Key is not null).Select(f => f.Key!).Distinct(StringComparer.Ordinal)], g.All(f => f.Optional)))];
    }

    /// <summary>The ConfigMaps the template reads, by name.</summary>
    public static IReadOnlyList<ConfigSource> ConfigMaps(PodTemplateSnapshot template) => [.. Of(template).Where(s => s.Kind == EnvVarSourceKind.ConfigMap)];

    // EnvVarSnapshot.Source is "configmap name/key" or "secret name/key"; object names cannot hold a '/'.
    private static (string Name, string Key)? KeyReference(EnvVarSnapshot env)
    {
        var prefix = env.Kind switch
        {
            EnvVarSourceKind.ConfigMap => "configmap ",
            EnvVarSourceKind.Secret => "secret ",
            _ => null,
        };
        if (prefix is null || env.Source is not { } source || !source.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = source[prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? null : (rest[..slash], rest[(slash + 1)..]);
    }
}

/// <summary>
/// The rules a set-config-key request must pass before anything reaches the cluster, as pure functions of the pod template:
/// the ConfigMap is one the agent's Deployment reads (envFrom, an env key reference or a volume), the key is a valid
/// ConfigMap key, and the value is given and not larger than <see cref="MaxValueBytes"/>. Whether the ConfigMap exists and
/// what the key holds now is the cluster handler's check (the board holds no ConfigMaps).
/// </summary>
public static partial class SetConfigKeyRules
{
    /// <summary>The longest key Kubernetes takes (a DNS subdomain's length).</summary>
    public const int MaxKeyLength = 253;

    /// <summary>
    /// The largest value the dashboard sets (UTF-8 bytes). A ConfigMap may hold up to 1 MiB, but a setting typed into a dialog
    /// is a line, not a file; larger values are for kubectl, where the diff can be read.
    /// </summary>
    public const int MaxValueBytes = 8 * 1024;

    public static ActionValidation Check(AgentRef target, SetConfigKeyRequest request, PodTemplateSnapshot template, IEnumerable<string>? unknownKeys = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(template);
        var errors = new List<string>();
        var warnings = new List<string>();
        foreach (var unknown in unknownKeys ?? [])
        {
            errors.Add($"'{unknown}' is not a value set config key takes (it takes: configMap, key, value)");
        }

        var configMaps = ConfigSources.ConfigMaps(template);
        var name = request.ConfigMap?.Trim() ?? "";
        ConfigSource? source = null;
        if (name.Length == 0)
        {
            errors.Add($"Give the ConfigMap to edit ({Reads(configMaps)})");
        }
        else if ((source = configMaps.FirstOrDefault(s => s.Name == name)) is null)
        {
            errors.Add($"Deployment {target} does not read configmap '{Shorten(name)}' ({Reads(configMaps)}); set config key edits only a ConfigMap the agent reads");
        }

        var key = request.Key?.Trim() ?? "";
        if (key.Length == 0)
        {
            errors.Add("Give the key to set (e.g. KOSMOS_MODEL_ENDPOINT)");
        }
        else if (ProblemWithKey(key) is { } problem)
        {
            errors.Add($"key '{InputText.Visible(Shorten(key))}' is not a valid ConfigMap key: {problem}");
        }

        if (request.Value is null)
        {
            errors.Add("Give the new value (it may be empty)");
        }
        else if (Encoding.UTF8.GetByteCount(request.Value) is var bytes && bytes > MaxValueBytes)
        {
            errors.Add($"value of {key} is {bytes} bytes, more than the largest this dashboard sets ({MaxValueBytes} bytes); set it with kubectl if it is really meant");
        }

        if (errors.Count == 0 && source is { AllKeys: false } && !source.Reads(key))
        {
            warnings.Add($"The agent reads only {string.Join(", ", source.ReferencedKeys)} of configmap {name} (env key references): a new value of {key} changes nothing it reads until an env variable takes it");
        }

        return new ActionValidation([.. errors], [.. warnings]);
    }

    public static ActionValidation Check(AgentRef target, ActionRequest request, AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var parsed = SetConfigKeyRequest.From(request, out var unknown);
        return Check(target, parsed, detail.Deployment?.Template ?? PodTemplateSnapshot.Empty, unknown);
    }

    /// <summary>
    /// The warning that <paramref name="key"/> of configmap <paramref name="configMap"/> is read by other agents too
    /// (<paramref name="others"/>: name and pod template of each other agent of the namespace), or null when none reads it.
    /// Only the target is restarted: agents that take the key into their environment keep the old value until their next
    /// restart; those that mount the ConfigMap as a volume see the file change by itself (the kubelet syncs it).
    /// </summary>
    public static string? AlsoReadBy(string configMap, string key, IEnumerable<(string Agent, PodTemplateSnapshot Template)> others)
    {
        ArgumentNullException.ThrowIfNull(others);
        var readers = others
            .Select(o => (o.Agent, Source: ConfigSources.ConfigMaps(o.Template).FirstOrDefault(s => s.Name == configMap && s.Reads(key))))
            .Where(r => r.Source is not null)
            .OrderBy(r => r.Agent, StringComparer.Ordinal)
            .ToList();
        var env = readers.Where(r => r.Source!.Uses.Any(u => !IsVolume(u))).Select(r => r.Agent).ToList();
        var mounted = readers.Where(r => r.Source!.Uses.All(IsVolume)).Select(r => r.Agent).ToList();
        var parts = new List<string>();
        if (env.Count > 0)
        {
            parts.Add($"configmap {configMap} ({key}) is also read by: {string.Join(", ", env)} — they will see the new value at their next restart");
        }

        if (mounted.Count > 0)
        {
            parts.Add($"configmap {configMap} is also mounted as a volume by: {string.Join(", ", mounted)} — the file changes there within about a minute, without a restart");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    // ConfigSources describes a volume use as "volume <name>".
    private static bool IsVolume(string use) => use.StartsWith("volume ", StringComparison.Ordinal);

    /// <summary>Why <paramref name="key"/> is not a ConfigMap key Kubernetes takes (its IsConfigMapKey rules), or null.</summary>
    public static string? ProblemWithKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > MaxKeyLength)
        {
            return $"must be no more than {MaxKeyLength} characters (got {key.Length})";
        }

        if (InputText.HasControl(key))
        {
            return "it contains a line break or another control character";
        }

        if (!KeyChars().IsMatch(key))
        {
            return "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
        }

        return key is "." or ".." ? $"must not be '{key}'" : key.StartsWith("..", StringComparison.Ordinal) ? "must not start with '..'" : null;
    }

    /// <summary>A value as messages and change lines show it: at most the first 200 characters, then its length.</summary>
    public static string Shorten(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        const int shown = 200;
        return value.Length <= shown ? value : $"{value[..shown]}… ({value.Length} characters)";
    }

    private static string Reads(IReadOnlyList<ConfigSource> configMaps) =>
        configMaps.Count == 0 ? "it reads no ConfigMap" : "it reads: " + string.Join(", ", configMaps.Select(c => c.Name));

    // \z, not $: $ also matches before a final line break.
    [GeneratedRegex(@"^[-._a-zA-Z0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyChars();
}
