namespace Kosmos.Dashboard.ViewModels;

/// <summary>Relative URLs of the dashboard's pages (the app's base href is <c>/</c>).</summary>
public static class AgentLinks
{
    public const string Board = "";

    public const string Wallboard = "wallboard";

    public static string Agent(string ns, string name) => $"agents/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}";
}
