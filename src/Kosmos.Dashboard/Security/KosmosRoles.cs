using System.Security.Claims;

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

    /// <summary>How a role reads in the header: <c>Incident commander</c> for <c>IncidentCommander</c>.</summary>
    public static string DisplayName(string role) => role switch
    {
        Viewer => "Viewer",
        Operator => "Operator",
        IncidentCommander => "Incident commander",
        _ => role,
    };

    /// <summary>A role with what it may do, for the sign-in form's choice.</summary>
    public static string Describe(string role) => role switch
    {
        Viewer => "Viewer — watch agents",
        Operator => "Operator — run recovery actions",
        IncidentCommander => "Incident commander — also approve destructive actions",
        _ => role,
    };

    /// <summary>The most trusted Kosmos role <paramref name="user"/> holds; null when none (or not signed in).</summary>
    public static string? Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return All.LastOrDefault(user.IsInRole);
    }
}

/// <summary>Authorization policy names used by endpoints, the hub and the action executor.</summary>
public static class KosmosPolicies
{
    public const string View = "kosmos.view";
    public const string Operate = "kosmos.operate";
    public const string Approve = "kosmos.approve";
}
