namespace Kosmos.Dashboard.ViewModels;

/// <summary>Relative URLs of the dashboard's pages (the app's base href is <c>/</c>).</summary>
public static class AgentLinks
{
    public const string Board = "";

    public const string Wallboard = "wallboard";

    public static string Agent(string ns, string name) => $"agents/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}";
}

/// <summary>Relative URLs of the incident pages and exports.</summary>
public static class IncidentLinks
{
    public const string List = "incidents";

    public static string Incident(Guid id) => $"incidents/{id:D}";

    public static string PostMortem(Guid id) => $"api/incidents/{id:D}/postmortem";
}
