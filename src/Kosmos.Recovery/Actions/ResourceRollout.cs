using System.Globalization;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Quantities;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// Decides from cached state whether a set-resources change has fully taken effect: the controller observed the generation
/// the patch produced; updated, ready and available replicas all equal the desired count; every pod left runs with the new
/// values (compared by quantity value) and is ready. A pure function of the agent's detail.
/// </summary>
public static class ResourceRollout
{
    /// <param name="detail">The agent now (null when it is gone).</param>
    /// <param name="generation">The Deployment generation the patch produced.</param>
    /// <param name="changes">The fields the patch changed: a pod is new when its containers have all of them.</param>
    public static RolloutProgress Evaluate(AgentDetail? detail, long generation, IReadOnlyList<ResourceFieldChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return Evaluate(detail, generation, d => NewPods(d, changes),
            "with the new resources", Invariant($"with the new resources ({string.Join(", ", changes.Select(c => $"{c.Container} {c.Field.Key}={c.After}").Distinct())})"));
    }

    /// <summary>
    /// The same decision for any change of the pod template: <paramref name="newPods"/> picks the pods that run with it;
    /// <paramref name="with"/> and <paramref name="withDone"/> say what they run with, while waiting and once done.
    /// </summary>
    public static RolloutProgress Evaluate(AgentDetail? detail, long generation, Func<AgentDetail, IEnumerable<PodSnapshot>> newPods, string with, string withDone)
    {
        ArgumentNullException.ThrowIfNull(newPods);
        if (detail?.Deployment is not { } d)
        {
            return new RolloutProgress(false, 0, 0, "the agent's Deployment is gone");
        }

        var desired = d.DesiredReplicas;
        if ((d.ObservedGeneration ?? 0) < generation)
        {
            return new RolloutProgress(false, 0, desired, Invariant($"waiting for the deployment controller to observe generation {generation}"));
        }

        var fresh = newPods(detail).ToList();
        var ready = fresh.Count(p => p.IsReady && !p.IsTerminating);
        var oldPods = detail.Pods.Count - fresh.Count;
        var statusDone = d.UpdatedReplicas == desired && d.ReadyReplicas == desired && d.AvailableReplicas == desired && d.CurrentReplicas == desired;
        if (statusDone && oldPods == 0 && ready >= desired)
        {
            return new RolloutProgress(true, ready, desired, Invariant($"{ready}/{desired} pods ready {withDone}; no old pods left"));
        }

        var waiting = Invariant($"{ready}/{desired} pods ready {with}");
        if (oldPods > 0)
        {
            waiting += Invariant($"; {oldPods} old {(oldPods == 1 ? "pod" : "pods")} left");
        }

        if (Health.RolloutStatus.HasExceededDeadline(d))
        {
            waiting += "; " + Health.RolloutStatus.Describe(d);
        }

        return new RolloutProgress(false, ready, desired, waiting);
    }

    /// <summary>
    /// "container agent of pod x crashed (exited 1 (Error)), 2 restarts" for the first of <paramref name="newPods"/> whose
    /// container crashed since it started, or null: a template change that does not fix the cause crashes again.
    /// </summary>
    public static string? CrashedSince(IEnumerable<PodSnapshot> newPods, IReadOnlyCollection<string> containers)
    {
        ArgumentNullException.ThrowIfNull(newPods);
        ArgumentNullException.ThrowIfNull(containers);
        return newPods
            .SelectMany(p => p.Containers.Where(c => containers.Contains(c.Name) && c.RestartCount > 0 && c.LastState is ContainerState.Terminated { ExitCode: not 0 })
                .Select(c => (Pod: p, Container: c, Last: (ContainerState.Terminated)c.LastState!)))
            .Select(x => Invariant($"container {x.Container.Name} of pod {x.Pod.Name} crashed again (exit code {x.Last.ExitCode}{(string.IsNullOrEmpty(x.Last.Reason) ? "" : ", " + x.Last.Reason)}; {x.Container.RestartCount} restarts)"))
            .FirstOrDefault();
    }

    /// <summary>The pods that run with every changed value (by container and field), terminating or not.</summary>
    public static IEnumerable<PodSnapshot> NewPods(AgentDetail detail, IReadOnlyList<ResourceFieldChange> changes)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return detail.Pods.Where(p => changes.All(c =>
            p.Containers.FirstOrDefault(x => x.Name == c.Container) is { } container
            && Quantity.Decode(c.Field.ValueIn(container.Resources)) is { } now
            && Quantity.Decode(c.After) is { } wanted
            && now == wanted));
    }

    /// <summary>"container agent of pod x was OOMKilled (exit code 137)" for the first new pod OOM-killed since the change, or null.</summary>
    public static string? OomKilledSince(AgentDetail? detail, IReadOnlyList<ResourceFieldChange> changes)
    {
        if (detail is null)
        {
            return null;
        }

        var containers = changes.Select(c => c.Container).ToHashSet(StringComparer.Ordinal);
        return NewPods(detail, changes)
            .SelectMany(p => p.Containers.Where(c => containers.Contains(c.Name) && SetResourcesRules.IsOomKilled(c)).Select(c => (Pod: p, Container: c)))
            .Select(x => Invariant($"container {x.Container.Name} of pod {x.Pod.Name} was OOMKilled (memory limit {x.Container.Resources.MemoryLimit ?? "not set"}, {x.Container.RestartCount} restarts)"))
            .FirstOrDefault();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
