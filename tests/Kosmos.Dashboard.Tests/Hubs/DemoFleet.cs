using Kosmos.Dashboard.Hubs;

namespace Kosmos.Dashboard.Tests.Hubs;

/// <summary>The demo fleet (deploy/agents) and the states the classifier gives it once its pods have settled.</summary>
public static class DemoFleet
{
    public static readonly IReadOnlyList<string> Agents =
        ["archivist", "coder", "planner", "researcher", "reviewer", "scheduler-bot", "summarizer", "vector-store"];

    /// <summary>
    /// Agent → acceptable states. The coder deadlocks after starting: it stays Progressing until its readiness has failed for
    /// the classifier's one-minute grace, which is measured on the dashboard's real clock, not the simulator's faster one.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> States = new Dictionary<string, string[]>
    {
        ["archivist"] = ["Healthy"],
        ["coder"] = ["Progressing", "Unresponsive"],
        ["planner"] = ["Healthy"],
        ["researcher"] = ["CrashLoopBackOff"],
        ["reviewer"] = ["CrashLoopBackOff"],
        ["scheduler-bot"] = ["Pending"],
        ["summarizer"] = ["OOMKilled"],
        ["vector-store"] = ["ImagePull"],
    };

    public static bool Settled(IReadOnlyDictionary<string, AgentMessage> agents) =>
        agents.Count == States.Count && States.All(s => agents.TryGetValue($"kosmos/{s.Key}", out var a) && s.Value.Contains(a.State));
}
