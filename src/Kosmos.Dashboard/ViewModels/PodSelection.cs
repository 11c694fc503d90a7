using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>Which pod the agent page's describe and logs panels show, and which container and run of it.</summary>
public static class PodSelection
{
    /// <summary>The chosen pod while it exists; otherwise the first pod showing the problem, otherwise the first pod by name.</summary>
    public static string? Resolve(AgentDetail detail, string? chosen)
    {
        ArgumentNullException.ThrowIfNull(detail);
        if (chosen is not null && detail.Pods.Any(p => p.Name == chosen))
        {
            return chosen;
        }

        var ordered = PodRow.Order(detail.Pods);
        return ordered.FirstOrDefault(p => detail.Summary.Health.AffectedPods.Contains(p.Name))?.Name ?? (ordered.Count > 0 ? ordered[0].Name : null);
    }

    /// <summary>The container to open first: one that has restarted (the crash is the story), else the first app container.</summary>
    public static string? DefaultContainer(PodSnapshot pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return (pod.Containers.OrderByDescending(c => c.RestartCount).FirstOrDefault(c => c.RestartCount > 0 || c.LastState is not null)
                ?? (pod.Containers.Count > 0 ? pod.Containers[0] : null)
                ?? (pod.InitContainers.Count > 0 ? pod.InitContainers[0] : null))?.Name;
    }

    /// <summary>Open the previous run first when there is one: after a crash, that is the log that explains it.</summary>
    public static bool DefaultPrevious(PodSnapshot pod, string? container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return container is not null && pod.FindContainer(container) is { } c && (c.RestartCount > 0 || c.LastState is ContainerState.Terminated);
    }

    /// <summary>
    /// Why <paramref name="container"/> of <paramref name="pod"/> has no previous run to show, in plain words; null when it
    /// has one (it restarted or terminated before), so the log is read. Asking the API server anyway only brings back its
    /// 'previous terminated container ... not found'.
    /// </summary>
    public static string? NoPreviousRun(PodSnapshot pod, string container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (DefaultPrevious(pod, container))
        {
            return null;
        }

        return pod.FindContainer(container) is null
            ? $"Container {container} is not in pod {pod.Name}: there is no run of it to show."
            : $"No previous run: container {container} of pod {pod.Name} has not crashed or restarted, so there is only the current run.";
    }

    /// <summary>Containers in the order the picker lists them: init containers first, as the pod runs them.</summary>
    public static IReadOnlyList<string> Containers(PodSnapshot pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return [.. pod.InitContainers.Select(c => c.Name), .. pod.Containers.Select(c => c.Name)];
    }
}
