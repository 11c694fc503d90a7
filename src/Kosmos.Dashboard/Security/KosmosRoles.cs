namespace Kosmos.Dashboard.Security;

/// <summary>
/// Roles, from least to most trusted. Viewers watch; operators run recovery actions; incident commanders also approve
/// destructive ones. A higher role includes the lower ones.
/// </summary>
public static class KosmosRoles
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";
    public const string IncidentCommander = "IncidentCommander";

    public static readonly IReadOnlyList<string> All = [Viewer, Operator, IncidentCommander];

    /// <summary>The roles that satisfy a requirement of <paramref name="role"/>.</summary>
    public static string[] AtLeast(string role) => role switch
    {
        Viewer => [Viewer, Operator, IncidentCommander],
        Operator => [Operator, IncidentCommander],
        IncidentCommander => [IncidentCommander],
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };
}

/// <summary>Authorization policy names used by endpoints, the hub and the action executor.</summary>
public static class KosmosPolicies
{
    public const string View = "kosmos.view";
    public const string Operate = "kosmos.operate";
    public const string Approve = "kosmos.approve";
}
