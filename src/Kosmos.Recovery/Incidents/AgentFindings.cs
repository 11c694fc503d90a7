using System.Globalization;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Incidents;

/// <summary>A container termination as <c>kubectl describe pod</c> shows it, identified by pod, container and restart count.</summary>
/// <param name="Previous">True when the container has restarted since (its previous run's logs are the ones to read).</param>
/// <param name="Pod">The pod's name.</param>
/// <param name="PodUid">The pod's uid: a pod recreated under the same name is another pod.</param>
/// <param name="Container">The container that terminated.</param>
/// <param name="RestartCount">The container's restart count at the time of this termination.</param>
/// <param name="Reason">The termination's reason (OOMKilled, Error, ...).</param>
/// <param name="ExitCode">The process's exit code (137 = SIGKILL, e.g. the OOM killer).</param>
/// <param name="Signal">The signal that ended it, when the runtime reports one.</param>
/// <param name="FinishedAt">When the run ended, when known.</param>
/// <param name="Facts">Lines of <c>kubectl describe pod</c> that show it.</param>
public sealed record CrashFact(string Pod, string PodUid, string Container, int RestartCount, bool Previous, string Reason, int ExitCode,
    int? Signal, DateTimeOffset? FinishedAt, ValueList<string> Facts)
{
    // By the run's finish time when known: the same run is first the current state, then (after the restart) the last
    // state with a higher restart count, and must stay one fact.
    public string Ref => string.Create(CultureInfo.InvariantCulture,
        $"crash:{PodUid}/{Container}/{(FinishedAt is { } f ? f.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : "#" + RestartCount)}");

    public string LogsRef => "logs:" + Ref[6..];

    public string Headline => string.Create(CultureInfo.InvariantCulture,
        $"Container {Container} of pod {Pod} terminated: {Reason}, exit code {ExitCode}{(Signal is > 0 ? $", signal {Signal}" : "")} (restarts: {RestartCount})");
}

/// <summary>A Warning event, identified by uid and count so a repeat is a new fact.</summary>
public sealed record WarningFact(string Uid, string Reason, string Message, string Object, int Count, DateTimeOffset? LastSeen)
{
    public string Ref => string.Create(CultureInfo.InvariantCulture, $"event:{Uid}/{Count}");

    public string Text => string.Create(CultureInfo.InvariantCulture,
        $"Warning {Reason} on {Object}{(Count > 1 ? $" (×{Count})" : "")}: {Message}");
}

/// <summary>The facts about an agent worth keeping in an incident, read from what the board holds now. Pure.</summary>
public static class AgentFindings
{
    /// <summary>Every terminated container run the pods still show (current or last state).</summary>
    public static IReadOnlyList<CrashFact> Crashes(AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var facts = new List<CrashFact>();
        foreach (var pod in detail.Pods)
        {
            foreach (var c in pod.InitContainers.Concat(pod.Containers))
            {
                // The current state when it is terminated (not restarted yet), otherwise the last one.
                var (terminated, previous) = c.State is ContainerState.Terminated now
                    ? (now, false)
                    : (c.LastState as ContainerState.Terminated, true);
                if (terminated is null || (terminated.ExitCode == 0 && terminated.Reason == "Completed" && !previous))
                {
                    continue;
                }

                facts.Add(new CrashFact(pod.Name, pod.Uid, c.Name, c.RestartCount, previous, terminated.Reason ?? "Terminated", terminated.ExitCode,
                    terminated.Signal, terminated.FinishedAt, Describe(pod, c, terminated, previous)));
            }
        }

        return facts;
    }

    public static IReadOnlyList<WarningFact> Warnings(AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return [.. detail.Events
            .Where(e => e.IsWarning)
            .OrderBy(e => e.LastSeen)
            .Select(e => new WarningFact(string.IsNullOrEmpty(e.Uid) ? e.Namespace + "/" + e.Name : e.Uid, e.Reason, e.Message,
                $"{e.InvolvedObject.Kind.ToLowerInvariant()}/{e.InvolvedObject.Name}", Math.Max(1, e.Count), e.LastSeen))];
    }

    // The lines `kubectl describe pod` would show for the container: its termination, restarts, resources.
    private static ValueList<string> Describe(PodSnapshot pod, ContainerSnapshot c, ContainerState.Terminated t, bool previous)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Pod: {pod.Name} (node {pod.NodeName ?? "none"}, phase {pod.Phase})"),
            string.Create(CultureInfo.InvariantCulture, $"Container: {c.Name} (image {c.Image})"),
            string.Create(CultureInfo.InvariantCulture, $"{(previous ? "Last State" : "State")}: Terminated, Reason: {t.Reason ?? "-"}, Exit Code: {t.ExitCode}{(t.Signal is > 0 ? $", Signal: {t.Signal}" : "")}"),
        };
        if (t.StartedAt is not null || t.FinishedAt is not null)
        {
            lines.Add($"Started: {Stamp(t.StartedAt)}, Finished: {Stamp(t.FinishedAt)}");
        }

        if (!string.IsNullOrWhiteSpace(t.Message))
        {
            lines.Add("Message: " + t.Message.Trim());
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"Restart Count: {c.RestartCount}"));
        lines.Add("Limits: " + Pairs(c.Resources.Limits));
        lines.Add("Requests: " + Pairs(c.Resources.Requests));
        return [.. lines];
    }

    private static string Pairs(StringMap map) =>
        map.Count == 0 ? "none" : string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static string Stamp(DateTimeOffset? at) => at?.UtcDateTime.ToString("u", CultureInfo.InvariantCulture) ?? "-";
}
