namespace Kosmos.Recovery.Actions;

/// <summary>An agent an action targets: its Deployment's namespace and name.</summary>
public readonly record struct AgentRef(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}

/// <summary>Who asked for an action, as the audit records them: a display name and their highest role (or <c>anonymous</c>).</summary>
public sealed record Actor(string Name, string Role)
{
    public static Actor Anonymous { get; } = new("anonymous", "none");

    public override string ToString() => $"{Name} ({Role})";
}
