using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Live;

/// <summary>
/// The ConfigMaps and Secrets an agent reads, with their keys, read on demand (not cached, not watched: the describe panel
/// asks when it opens). ConfigMap values are carried; a Secret is never read (the dashboard's Role has no access to
/// Secrets), so its keys are the ones the pod template names. A singleton; thread-safe; cancellation ends the read.
/// </summary>
public interface IAgentConfiguration
{
    /// <summary>
    /// What <paramref name="podTemplate"/> (the agent's Deployment's pod template) reads in <paramref name="target"/>'s
    /// namespace. Failures reading one ConfigMap come back as its <see cref="ConfigSourceState.Error"/>, never as an exception.
    /// </summary>
    Task<IReadOnlyList<ConfigSourceState>> ReadAsync(AgentRef target, PodTemplateSnapshot podTemplate, CancellationToken cancellationToken);
}

/// <summary>One key of a ConfigMap or Secret as the describe panel shows it.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">A ConfigMap key's value; always null for a Secret (never read).</param>
/// <param name="ReadByAgent">The agent reads this key (the whole object is imported, or an env variable takes it).</param>
/// <param name="Missing">The agent references the key and the ConfigMap does not have it.</param>
public sealed record ConfigKeyState(string Key, string? Value, bool ReadByAgent, bool Missing);

/// <summary>One ConfigMap or Secret the agent reads and what is known of it.</summary>
/// <param name="Source">Which object and how the agent reads it.</param>
/// <param name="Exists">Whether it exists; null when not known (a Secret, or the read failed).</param>
/// <param name="Keys">Its keys in order (a Secret: the keys the template names).</param>
/// <param name="ResourceVersion">The ConfigMap's resourceVersion as read, or null.</param>
/// <param name="Error">Why it could not be read, or null.</param>
public sealed record ConfigSourceState(ConfigSource Source, bool? Exists, ValueList<ConfigKeyState> Keys, string? ResourceVersion, string? Error)
{
    public bool IsSecret => Source.Kind == EnvVarSourceKind.Secret;

    /// <summary>A ConfigMap that does not exist and is not optional: the agent's pods cannot start.</summary>
    public bool IsMissing => Exists == false && !Source.Optional;

    /// <summary>
    /// The state of one ConfigMap from its data as read (null: it does not exist), flagging each key the agent references
    /// and the ConfigMap lacks. Pure.
    /// </summary>
    public static ConfigSourceState FromConfigMap(ConfigSource source, IReadOnlyDictionary<string, string>? data, string? resourceVersion)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (data is null)
        {
            return new ConfigSourceState(source, false, [.. source.ReferencedKeys.Select(k => new ConfigKeyState(k, null, true, true))], null, null);
        }

        var present = data.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new ConfigKeyState(d.Key, d.Value, source.Reads(d.Key), false));
        var missing = source.ReferencedKeys.Where(k => !data.ContainsKey(k)).Select(k => new ConfigKeyState(k, null, true, true));
        return new ConfigSourceState(source, true, [.. present, .. missing], resourceVersion, null);
    }

    /// <summary>A Secret, from the template alone: the key names it references, never a value.</summary>
    public static ConfigSourceState FromSecret(ConfigSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ConfigSourceState(source, null, [.. source.ReferencedKeys.Select(k => new ConfigKeyState(k, null, true, false))], null, null);
    }
}
