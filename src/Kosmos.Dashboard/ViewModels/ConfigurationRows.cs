using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>One key as the Configuration section shows it: a ConfigMap's value (shortened), or a Secret's placeholder.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">What the value cell shows.</param>
/// <param name="FullValue">A ConfigMap key's whole value (for the editor), null for a Secret or a missing key.</param>
/// <param name="Flag">Why the row is marked (a referenced key that is missing, a key the agent does not read), or null.</param>
/// <param name="CanEdit">Whether set-config-key applies to it (a key of a ConfigMap that exists).</param>
public sealed record ConfigKeyRow(string Key, string Value, string? FullValue, string? Flag, bool CanEdit);

/// <summary>One ConfigMap or Secret the agent reads, as the Configuration section shows it.</summary>
public sealed record ConfigSourceRow(string Kind, string Name, string Uses, string? Flag, string? Error, IReadOnlyList<ConfigKeyRow> Keys);

/// <summary>The Configuration section's rows from what the cluster answered: a pure function, and the one place a Secret's row is worded.</summary>
public static class ConfigurationRows
{
    /// <summary>What a Secret's value cell says: the dashboard never reads a Secret's values.</summary>
    public const string SecretValue = "(secret, hidden)";

    /// <summary>The longest value shown in a row; the editor shows the whole value.</summary>
    public const int MaxShown = 120;

    public static IReadOnlyList<ConfigSourceRow> From(IReadOnlyList<ConfigSourceState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        return [.. states.Select(Row)];
    }

    private static ConfigSourceRow Row(ConfigSourceState s)
    {
        var flag = s.IsMissing ? $"missing: the agent's pods cannot start until {s.Source.Description} exists"
            : s.Exists == false ? "does not exist (optional)"
            : s.IsSecret && s.Source.AllKeys ? "imported whole; its keys are not listed (the dashboard does not read Secrets)"
            : null;
        // A key whose name looks secret (API_TOKEN) in a ConfigMap is most likely a misplaced secret: not shown, not handed
        // to the editor either (whoever edits it types the new value).
        var keys = s.Keys.Select(k => new ConfigKeyRow(
            k.Key,
            s.IsSecret ? SecretValue : k.Missing ? "(missing)" : SecretNames.LooksSecret(k.Key) ? SecretNames.Hidden : Shorten(k.Value ?? ""),
            s.IsSecret || k.Missing || SecretNames.LooksSecret(k.Key) ? null : k.Value,
            k.Missing ? $"the agent references {k.Key}, and {s.Source.Description} does not have it" : k.ReadByAgent ? null : "not read by the agent",
            !s.IsSecret && s.Exists == true)).ToList();
        return new ConfigSourceRow(s.IsSecret ? "Secret" : "ConfigMap", s.Source.Name, string.Join("; ", s.Source.Uses), flag, s.Error, keys);
    }

    private static string Shorten(string value) => value.Length <= MaxShown ? value : $"{value[..MaxShown]}… ({value.Length} characters)";
}
