using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Runtime;

/// <summary>One run of a container as the status shows it; <see cref="Exit"/> is null while it runs.</summary>
internal sealed record ContainerRun(string Id, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt = null, ProcessExit? Exit = null)
{
    public bool IsRunning => Exit is null;
}

/// <summary>
/// What the kubelet knows of one container across its restarts: the current run (running, or just terminated), the last
/// terminated one (lastState), the waiting reason shown while there is no current run, and its probe results.
/// </summary>
internal sealed record ContainerView(
    string Name,
    string Image,
    string? ImageId = null,
    ContainerRun? Current = null,
    ContainerRun? LastTerminated = null,
    string WaitingReason = "ContainerCreating",
    string? WaitingMessage = null,
    int RestartCount = 0,
    bool Ready = false,
    bool Started = false)
{
    public bool IsRunning => Current is { IsRunning: true };

    /// <summary>The run whose exit decides the phase: the current one, or the last terminated while waiting to restart.</summary>
    public ContainerRun? Latest => Current ?? LastTerminated;
}

/// <summary>The pod-level facts the status is built from, besides its containers.</summary>
internal sealed record PodView(
    IReadOnlyList<ContainerView> Containers,
    IReadOnlyList<ContainerView> InitContainers,
    string RestartPolicy,
    string QosClass,
    string HostIp,
    DateTimeOffset StartTime,
    string ScheduledTime,
    string? PodIp = null,
    bool SandboxReady = false,
    bool Initialized = true,
    bool Finalized = false);

/// <summary>
/// The kubelet's status logic as pure functions: the phase (kubelet getPhase, plus the terminal phase of a pod it finished
/// terminating), the conditions and the container statuses of a pod from its containers' states. No clock, no I/O: "now" and
/// the previous status's conditions (for lastTransitionTime, which only moves when a condition's status flips) are inputs.
/// </summary>
internal static class PodStatusBuilder
{
    public static JsonObject Build(PodView pod, JsonArray? previousConditions, DateTimeOffset now)
    {
        var phase = Phase(pod);
        var completed = phase == "Succeeded";
        var unready = pod.Containers.Where(c => !(c.Ready && c.IsRunning)).Select(c => c.Name).ToList();
        var ready = unready.Count == 0 && !pod.Finalized;
        var unreadyMessage = $"containers with unready status: [{string.Join(' ', unready)}]";
        var stamp = ObjectStore.Timestamp(now);
        JsonObject Condition(string type, bool value, string? reason = null, string? message = null) =>
            PodCondition(type, value, reason, message, TransitionTime(previousConditions, type, value) ?? stamp);

        var conditions = new JsonArray
        {
            Condition("PodReadyToStartContainers", pod.SandboxReady && !pod.Finalized && phase is not ("Succeeded" or "Failed")),
            Condition("Initialized", pod.Initialized, completed ? "PodCompleted" : pod.Initialized ? null : "ContainersNotInitialized",
                pod.Initialized ? null : $"containers with incomplete status: [{string.Join(' ', pod.InitContainers.Where(c => c.Latest?.Exit?.ExitCode != 0).Select(c => c.Name))}]"),
            Condition("Ready", ready, completed ? "PodCompleted" : ready ? null : "ContainersNotReady", completed || ready ? null : unreadyMessage),
            Condition("ContainersReady", ready, completed ? "PodCompleted" : ready ? null : "ContainersNotReady", completed || ready ? null : unreadyMessage),
            PodCondition("PodScheduled", true, null, null, pod.ScheduledTime),
        };
        var status = new JsonObject
        {
            ["conditions"] = conditions,
            ["containerStatuses"] = new JsonArray(pod.Containers.Select(c => (JsonNode)ContainerStatus(c)).ToArray()),
            ["hostIP"] = pod.HostIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = pod.HostIp }),
        };
        if (pod.InitContainers.Count > 0)
        {
            status["initContainerStatuses"] = new JsonArray(pod.InitContainers.Select(c => (JsonNode)ContainerStatus(c)).ToArray());
        }

        status["phase"] = phase;
        if (pod.PodIp is not null)
        {
            status["podIP"] = pod.PodIp;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = pod.PodIp });
        }

        status["qosClass"] = pod.QosClass;
        status["startTime"] = ObjectStore.Timestamp(pod.StartTime);
        return status;
    }

    /// <summary>The kubelet's getPhase, plus the terminal phase it gives a pod it finished terminating.</summary>
    public static string Phase(PodView pod)
    {
        if (pod.Finalized)
        {
            return pod.Containers.All(c => c.Latest?.Exit?.ExitCode == 0) ? "Succeeded" : "Failed";
        }

        if (!pod.Initialized)
        {
            return pod.InitContainers.Any(c => c.Latest?.Exit is { ExitCode: not 0 }) && pod.RestartPolicy == "Never" ? "Failed" : "Pending";
        }

        int running = 0, waiting = 0, stopped = 0, succeeded = 0;
        foreach (var c in pod.Containers)
        {
            if (c.IsRunning)
            {
                running++;
            }
            else if (c.Current is { Exit: { } exit })
            {
                stopped++;
                succeeded += exit.ExitCode == 0 ? 1 : 0;
            }
            else if (c.LastTerminated is not null)
            {
                stopped++;
            }
            else
            {
                waiting++;
            }
        }

        if (waiting > 0)
        {
            return "Pending";
        }

        if (running > 0)
        {
            return "Running";
        }

        if (stopped == 0)
        {
            return "Pending";
        }

        return pod.RestartPolicy switch
        {
            "Always" => "Running",
            "OnFailure" => stopped == succeeded ? "Succeeded" : "Running",
            _ => stopped == succeeded ? "Succeeded" : "Failed",
        };
    }

    /// <summary>One entry of status.containerStatuses (or initContainerStatuses).</summary>
    public static JsonObject ContainerStatus(ContainerView c)
    {
        var status = new JsonObject();
        var shownId = c.Current?.Id ?? c.LastTerminated?.Id;
        if (shownId is not null)
        {
            status["containerID"] = shownId;
        }

        status["image"] = c.ImageId is not null ? PodSpec.NormalizeImage(c.Image) : c.Image;
        status["imageID"] = c.ImageId ?? "";
        status["lastState"] = c.LastTerminated is { } last ? new JsonObject { ["terminated"] = Terminated(last) } : new JsonObject();
        status["name"] = c.Name;
        status["ready"] = c.Ready && c.IsRunning;
        status["restartCount"] = c.RestartCount;
        status["started"] = c.Started && c.IsRunning;
        if (c.Current is { } current)
        {
            status["state"] = current.IsRunning
                ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = ObjectStore.Timestamp(current.StartedAt) } }
                : new JsonObject { ["terminated"] = Terminated(current) };
        }
        else
        {
            var waiting = new JsonObject();
            if (c.WaitingMessage is { } message)
            {
                waiting["message"] = message;
            }

            waiting["reason"] = c.WaitingReason;
            status["state"] = new JsonObject { ["waiting"] = waiting };
        }

        return status;
    }

    private static JsonObject Terminated(ContainerRun run) => new()
    {
        ["containerID"] = run.Id,
        ["exitCode"] = run.Exit?.ExitCode ?? 0,
        ["finishedAt"] = ObjectStore.Timestamp(run.FinishedAt ?? run.StartedAt),
        ["reason"] = run.Exit?.Reason ?? "Completed",
        ["startedAt"] = ObjectStore.Timestamp(run.StartedAt),
    };

    // A condition keeps its lastTransitionTime while its status stays what it was.
    private static string? TransitionTime(JsonArray? previous, string type, bool value) =>
        (previous ?? []).OfType<JsonObject>()
            .Where(c => JsonValues.String(c["type"]) == type && JsonValues.String(c["status"]) == (value ? "True" : "False"))
            .Select(c => JsonValues.String(c["lastTransitionTime"]))
            .FirstOrDefault();

    private static JsonObject PodCondition(string type, bool value, string? reason, string? message, string transitionTime)
    {
        var condition = new JsonObject { ["lastProbeTime"] = null, ["lastTransitionTime"] = transitionTime };
        if (message is not null)
        {
            condition["message"] = message;
        }

        if (reason is not null)
        {
            condition["reason"] = reason;
        }

        condition["status"] = value ? "True" : "False";
        condition["type"] = type;
        return condition;
    }
}
