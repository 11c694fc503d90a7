namespace Kosmos.Recovery.Actions;

/// <summary>An agent an action targets: its Deployment's namespace and name.</summary>
public readonly record struct AgentRef(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}

/// <summary>
/// Who asked for an action, as the audit records them: a display name, their highest role (or <c>anonymous</c>) and, when
/// the sign-in gives one, a stable id (<see cref="Id"/>) that tells two people apart where display names cannot.
/// </summary>
/// <param name="Name">The display name (an issuer's <c>preferred_username</c> may change and need not be unique).</param>
/// <param name="Role">The highest Kosmos role.</param>
/// <param name="Id">The issuer and subject (<c>oidc:{iss}|{sub}</c>) or the demo name (<c>demo:{name}</c>); null for records older than ids.</param>
public sealed record Actor(string Name, string Role, string? Id = null)
{
    public static Actor Anonymous { get; } = new("anonymous", "none");

    public override string ToString() => $"{Name} ({Role})";
}
