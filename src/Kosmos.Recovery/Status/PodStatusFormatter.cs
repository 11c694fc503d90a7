using System.Globalization;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Status;

/// <summary>
/// The STATUS, READY and RESTARTS columns exactly as <c>kubectl get pods</c> (1.32) prints them: a port of
/// kubectl's <c>printPod</c> (k8s.io/kubernetes pkg/printers/internalversion/printers.go). Pure; anything
/// time-relative takes <c>now</c>.
/// </summary>
public static class PodStatusFormatter
{
    public const string Terminating = "Terminating";
    public const string Unknown = "Unknown";
    public const string Running = "Running";
    public const string NotReady = "NotReady";

    public static string Status(PodSnapshot pod) => Summarize(pod).Status;

    public static string Ready(PodSnapshot pod) => Summarize(pod).Ready;

    public static string Restarts(PodSnapshot pod, DateTimeOffset now) => Summarize(pod).FormatRestarts(now);

    public static string Age(PodSnapshot pod, DateTimeOffset now) => KubeDuration.Since(pod.CreationTimestamp, now);

    public static PodStatusSummary Summarize(PodSnapshot pod)
    {
        ArgumentNullException.ThrowIfNull(pod);

        var restarts = 0;
        var sidecarRestarts = 0;
        var readyContainers = 0;
        var totalContainers = pod.Containers.Count + pod.InitContainers.Count(c => c.IsSidecar);
        DateTimeOffset? lastRestart = null;
        DateTimeOffset? lastSidecarRestart = null;

        var reason = string.IsNullOrEmpty(pod.Reason) ? pod.Phase.ToString() : pod.Reason;
        if (pod.Conditions.Any(c => c.Type == ConditionTypes.PodScheduled && c.Reason == KubeReasons.SchedulingGated))
        {
            reason = KubeReasons.SchedulingGated;
        }

        var initializing = false;
        var initStatuses = InStatusOrder(pod.InitContainers);
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var container = initStatuses[i];
            restarts += container.RestartCount;
            lastRestart = Later(lastRestart, LastFinishedAt(container));
            if (container.IsSidecar)
            {
                sidecarRestarts += container.RestartCount;
                lastSidecarRestart = Later(lastSidecarRestart, LastFinishedAt(container));
            }

            if (container.State is ContainerState.Terminated { ExitCode: 0 })
            {
                continue;
            }

            // A sidecar that has started counts like a regular container; init continues past it.
            if (container.IsSidecar && container.Started == true)
            {
                if (container.Ready)
                {
                    readyContainers++;
                }

                continue;
            }

            reason = container.State switch
            {
                ContainerState.Terminated t => "Init:" + TerminatedReason(t),
                ContainerState.Waiting { Reason: { Length: > 0 } waiting } when waiting != KubeReasons.PodInitializing =>
                    "Init:" + waiting,
                _ => string.Create(CultureInfo.InvariantCulture, $"Init:{i}/{pod.InitContainers.Count}"),
            };
            initializing = true;
            break;
        }

        if (!initializing || pod.GetCondition(ConditionTypes.Initialized)?.IsTrue == true)
        {
            // Once initialised, only sidecars' restarts still count among the init containers'.
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            var hasRunning = false;
            var statuses = InStatusOrder(pod.Containers);

            // Walked backwards so the first container (in status order) with a problem has the last word.
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var container = statuses[i];
                restarts += container.RestartCount;
                lastRestart = Later(lastRestart, LastFinishedAt(container));
                switch (container.State)
                {
                    case ContainerState.Waiting { Reason: { Length: > 0 } waiting }:
                        reason = waiting;
                        break;
                    case ContainerState.Terminated terminated:
                        reason = TerminatedReason(terminated);
                        break;
                    case ContainerState.Running when container.Ready:
                        hasRunning = true;
                        readyContainers++;
                        break;
                }
            }

            // A finished container next to a running one (e.g. a one-shot helper) must not make the pod look done.
            if (reason == KubeReasons.Completed && hasRunning)
            {
                reason = pod.IsReady ? Running : NotReady;
            }
        }

        if (pod.DeletionTimestamp is not null && pod.Reason == KubeReasons.NodeLost)
        {
            reason = Unknown;
        }
        else if (pod.DeletionTimestamp is not null && !pod.IsTerminal)
        {
            reason = Terminating;
        }

        return new PodStatusSummary(reason, readyContainers, totalContainers, restarts, lastRestart, LastTermination(pod));
    }

    /// <summary>The container termination that finished last, current or previous, regular or init; null if none.</summary>
    public static ContainerTermination? LastTermination(PodSnapshot pod)
    {
        ArgumentNullException.ThrowIfNull(pod);

        ContainerTermination? latest = null;
        foreach (var (container, isInit) in pod.InitContainers.Select(c => (c, true)).Concat(pod.Containers.Select(c => (c, false))))
        {
            if (container.State is ContainerState.Terminated current)
            {
                latest = Latest(latest, ContainerTermination.From(container, isInit, isCurrent: true, current));
            }

            if (container.LastState is ContainerState.Terminated previous)
            {
                latest = Latest(latest, ContainerTermination.From(container, isInit, isCurrent: false, previous));
            }
        }

        return latest;
    }

    private static string TerminatedReason(ContainerState.Terminated terminated)
    {
        if (!string.IsNullOrEmpty(terminated.Reason))
        {
            return terminated.Reason;
        }

        return terminated.Signal is { } signal and not 0
            ? string.Create(CultureInfo.InvariantCulture, $"Signal:{signal}")
            : string.Create(CultureInfo.InvariantCulture, $"ExitCode:{terminated.ExitCode}");
    }

    private static List<ContainerSnapshot> InStatusOrder(ValueList<ContainerSnapshot> containers) =>
        [.. containers.Where(c => c.HasStatus).OrderBy(c => c.StatusIndex)];

    private static DateTimeOffset? LastFinishedAt(ContainerSnapshot container) =>
        (container.LastState as ContainerState.Terminated)?.FinishedAt;

    private static DateTimeOffset? Later(DateTimeOffset? current, DateTimeOffset? candidate) =>
        candidate is not null && (current is null || candidate > current) ? candidate : current;

    private static ContainerTermination Latest(ContainerTermination? current, ContainerTermination candidate)
    {
        if (current is null)
        {
            return candidate;
        }

        // An unknown finish time loses to a known one; a tie keeps the first found.
        var currentAt = current.FinishedAt ?? DateTimeOffset.MinValue;
        var candidateAt = candidate.FinishedAt ?? DateTimeOffset.MinValue;
        return candidateAt > currentAt ? candidate : current;
    }
}
