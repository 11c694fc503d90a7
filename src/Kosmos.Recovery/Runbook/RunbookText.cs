using Kosmos.Recovery.Health;

namespace Kosmos.Recovery.Runbook;

/// <summary>A runbook command with the step it belongs to and, when the dashboard already did it, where to find the result.</summary>
public sealed record RunbookCommand(string Command, string? DoneBy = null);

public sealed record RunbookDoc(string Title, string File);

/// <summary>One section of agent-recovery-runbook.md, kept here verbatim in substance so the page needs no file at run time.</summary>
public sealed record RunbookSectionText(
    RunbookSection Section,
    string Title,
    bool InRunbook,
    IReadOnlyList<string> Symptoms,
    IReadOnlyList<RunbookCommand> Diagnosis,
    IReadOnlyList<string> Resolution,
    IReadOnlyList<RunbookCommand> ResolutionCommands);

/// <summary>
/// The agent recovery runbook (agent-recovery-runbook.md, "Last Updated: 2025-12-13"), section by section. Commands keep
/// the runbook's placeholders (<c>&lt;pod-name&gt;</c>, <c>&lt;agent-name&gt;</c>); <see cref="Fill"/> puts the real names in.
/// Pending and image pull failures are not in the runbook yet; their guidance says so.
/// </summary>
public static class RunbookText
{
    public const string RunbookFile = "agent-recovery-runbook.md";

    public static IReadOnlyList<RunbookDoc> RelatedDocs { get; } =
    [
        new("Agent Deployment", "agent-deployment.md"),
        new("MCP Troubleshooting", "mcp-troubleshooting.md"),
    ];

    /// <summary>The runbook's "Post-Recovery" items, as the incident checklist words them (one list, in the domain).</summary>
    public static IReadOnlyList<string> PostRecovery { get; } = [.. Kosmos.Recovery.Incidents.Checklist.Items.Select(Kosmos.Recovery.Incidents.Checklist.Title)];

    public static RunbookSectionText? For(RunbookSection section) => section switch
    {
        RunbookSection.CrashLoopBackOff => new(
            section,
            "1. Pod CrashLoopBackOff",
            true,
            ["Pod repeatedly crashing", "Status: CrashLoopBackOff"],
            [
                new("kubectl describe pod <pod-name> -n <namespace>", "the Describe tab shows this pod's describe output"),
                new("kubectl logs <pod-name> -n <namespace> --previous", "the last error lines of the crashed run are above; the Logs tab has the whole run"),
            ],
            ["Check configuration errors", "Verify environment variables", "Review resource limits", "Check dependencies availability"],
            []),
        RunbookSection.OutOfMemory => new(
            section,
            "2. Out of Memory (OOM)",
            true,
            ["Pod killed by OOM killer", "Exit code 137"],
            [],
            ["Increase memory limits", "Restart deployment"],
            [
                new("kubectl set resources deployment <agent-name> -n <namespace> --limits=memory=2Gi --requests=memory=1Gi"),
                new("kubectl rollout restart deployment <agent-name> -n <namespace>"),
            ]),
        RunbookSection.UnresponsiveAgent => new(
            section,
            "3. Unresponsive Agent",
            true,
            ["Health checks failing", "No response to requests"],
            [
                new("kubectl get pods -n <namespace> -l app=<agent-name>", "the Pods tab shows the same READY, STATUS and RESTARTS columns"),
                new("kubectl exec -it <pod-name> -n <namespace> -- /bin/sh"),
            ],
            ["Restart pod", "Check for deadlocks", "Review recent code changes"],
            []),
        RunbookSection.Pending => new(
            section,
            "Pending pods (not in the runbook yet)",
            false,
            ["Pod stays Pending or ContainerCreating", "Events: FailedScheduling, FailedMount, FailedCreate"],
            [new("kubectl describe pod <pod-name> -n <namespace>", "the Describe tab shows the pod's conditions and events")],
            ["Check the scheduling message: CPU or memory requests larger than any node has free, taints, node selectors", "Check volumes and claims (Storage tab)", "Check the namespace's resource quota"],
            []),
        RunbookSection.ImagePull => new(
            section,
            "Image cannot be pulled (not in the runbook yet)",
            false,
            ["Status: ErrImagePull or ImagePullBackOff"],
            [new("kubectl describe pod <pod-name> -n <namespace>", "the Describe tab shows the pull error in the container state and events")],
            ["Check the image name and tag against the registry", "Check image pull secrets and registry credentials", "Compare with the previous revision's image (Recent changes tab)"],
            []),
        _ => null,
    };

    /// <summary>A runbook command with the agent's real names in place of the placeholders.</summary>
    public static string Fill(string command, string ns, string agent, string? pod) =>
        command
            .Replace("<namespace>", ns, StringComparison.Ordinal)
            .Replace("<agent-name>", agent, StringComparison.Ordinal)
            .Replace("<pod-name>", pod ?? "<pod-name>", StringComparison.Ordinal);
}
