using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// The values of the Set config key dialog: one key of a ConfigMap the agent reads and its new value, opened from the
/// Configuration section of the describe panel (the key's current value shown) or from a runbook suggestion (pre-filled).
/// No rules of its own: the server's validator judges the values. Not thread-safe.
/// </summary>
public sealed class SetConfigKeyForm : IActionForm
{
    private SetConfigKeyForm(string? current, string? prefill)
    {
        Current = current;
        Prefill = prefill;
    }

    public string? ConfigMap { get; set; }

    public string? Key { get; set; }

    public string? Value { get; set; }

    /// <summary>The key's value when the dialog opened (null: the key does not exist yet, or not known).</summary>
    public string? Current { get; }

    /// <summary>Why the values are pre-filled, when they are.</summary>
    public string? Prefill { get; }

    public bool IsEmpty => Value is null;

    public SetConfigKeyRequest Request => new(ConfigMap, Key, Value);

    public ActionRequest ToActionRequest() => Request.ToActionRequest();

    /// <summary>Editing one key as the describe panel shows it: the value starts as the current one, for the person to change.</summary>
    public static SetConfigKeyForm ForKey(string configMap, string key, string? current) =>
        new(current, null) { ConfigMap = configMap, Key = key, Value = current };

    /// <summary>A runbook suggestion's values, with its reason.</summary>
    public static SetConfigKeyForm FromSuggestion(ActionRequest values, string why)
    {
        var request = SetConfigKeyRequest.From(values, out _);
        return new SetConfigKeyForm(null, "Pre-filled from the runbook guidance: " + why) { ConfigMap = request.ConfigMap, Key = request.Key, Value = request.Value };
    }
}
