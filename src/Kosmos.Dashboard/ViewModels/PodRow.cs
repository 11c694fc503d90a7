using Kosmos.Recovery.Model;
using Kosmos.Recovery.Status;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>One line of the pods table, with kubectl's STATUS, READY, RESTARTS and AGE.</summary>
public sealed record PodRow(
    string Name,
    string Status,
    string Ready,
    string Restarts,
    string Age,
    string Node,
    string LastTermination,
    bool NeedsAttention)
{
    public static PodRow From(PodSnapshot pod, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var summary = PodStatusFormatter.Summarize(pod);
        var last = summary.LastTermination;
        var healthy = summary.Status is PodStatusFormatter.Running or KubeReasons.Completed
            && (summary.ReadyContainers == summary.TotalContainers || summary.Status == KubeReasons.Completed);
        return new PodRow(
            pod.Name,
            summary.Status,
            summary.Ready,
            summary.FormatRestarts(now),
            PodStatusFormatter.Age(pod, now),
            pod.NodeName ?? "<none>",
            last is null ? TimeText.None : $"{last.ContainerName}: {last.Describe(now)}",
            !healthy);
    }

    /// <summary>The pods of an agent by name, as <c>kubectl get pods</c> lists them.</summary>
    public static IReadOnlyList<PodSnapshot> Order(IEnumerable<PodSnapshot> pods) =>
        [.. pods.OrderBy(p => p.Name, StringComparer.Ordinal)];
}
