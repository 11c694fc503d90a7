using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// The values a person gives an action, by name (e.g. <c>container</c>, <c>limits.memory</c>); empty for actions that take
/// none. Immutable, compared by value: the executor checks that what is applied is exactly what was previewed.
/// </summary>
public sealed record ActionRequest(StringMap Values)
{
    public static ActionRequest None { get; } = new(StringMap.Empty);

    public bool IsEmpty => Values.Count == 0;

    /// <summary>
    /// <c>key=value</c> pairs in key order, as the audit and messages read them. A state document (import-state) is named by
    /// its size and checksum only: its conversations are not for everyone who may read the audit. Set config key's value is
    /// hidden when its key's name looks secret (<see cref="SecretNames"/>), as is set env's literal value for such a name.
    /// </summary>
    public override string ToString() =>
        IsEmpty ? "(no values)" : string.Join(", ", Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={Shown(v.Key, v.Value)}"));

    private string Shown(string key, string value) => key switch
    {
        ImportStateRequest.StateKey => StateSummary(value),
        SetConfigKeyRequest.ValueKey when Values.TryGetValue(SetConfigKeyRequest.KeyKey, out var name) => SecretNames.Shown(name.Trim(), value)!,
        _ when key.StartsWith(SetEnvRequest.SetPrefix, StringComparison.Ordinal) => SecretNames.Shown(key[SetEnvRequest.SetPrefix.Length..].Trim(), value)!,
        _ => value,
    };

    /// <summary>A state document as messages name it: "(a state document of N bytes, sha256 abcdef123456…)".</summary>
    public static string StateSummary(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var bytes = System.Text.Encoding.UTF8.GetBytes(document);
        return $"(a state document of {bytes.Length} bytes, sha256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..12]}…)";
    }
}

/// <summary>
/// What a person confirmed: the preview's precondition, the values it was taken with, and the executor's fingerprint of
/// both (<see cref="ActionPlan.Fingerprint"/>). The fingerprint may be null only for an action that takes no values.
/// </summary>
public sealed record Confirmation(Precondition Precondition, ActionRequest Request, string? Fingerprint)
{
    /// <summary>What the person typed to confirm (the agent's name), for actions that require it (<c>confirmName</c>).</summary>
    public string? TypedName { get; init; }

    /// <summary>
    /// Break-glass: an incident commander runs an action that needs approval alone, with this written reason (only when
    /// <c>Kosmos:Approvals:BreakGlass</c> is on). Null: ask for approval as usual.
    /// </summary>
    public string? BreakGlassReason { get; init; }

    /// <summary>A confirmation of a value-less action (a restart) from its precondition alone.</summary>
    public static Confirmation Of(Precondition precondition) => new(precondition, ActionRequest.None, null);
}

/// <summary>
/// Whether a request may go on, checked on the server before anything is sent to the cluster: <see cref="Errors"/> refuse it,
/// <see cref="Warnings"/> are shown to the person, who may still confirm. Every message names the field and the value.
/// </summary>
public sealed record ActionValidation(ValueList<string> Errors, ValueList<string> Warnings)
{
    public static ActionValidation Ok { get; } = new(ValueList<string>.Empty, ValueList<string>.Empty);

    public bool IsValid => Errors.Count == 0;

    public static ActionValidation Fail(string error) => new([error], ValueList<string>.Empty);

    /// <summary>The errors as one message.</summary>
    public string ErrorText => string.Join(" ", Errors.Select(e => e.EndsWith('.') ? e : e + "."));
}
