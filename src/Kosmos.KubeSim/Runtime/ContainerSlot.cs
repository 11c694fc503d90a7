using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Runtime;

/// <summary>One run of a container: its containerID, process, log, and how it ended. Guarded by its pod worker's lock.</summary>
internal sealed class ContainerInstance(string id, ContainerLog log, AgentProcess process, DateTimeOffset startedAt, RunningContainer info)
{
    public string Id { get; } = id;

    public ContainerLog Log { get; } = log;

    public AgentProcess Process { get; } = process;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public RunningContainer Info { get; } = info;

    public DateTimeOffset? FinishedAt { get; set; }

    public ProcessExit? Exit { get; set; }

    public bool IsRunning => Exit is null;

    public ContainerRun Run() => new(Id, StartedAt, FinishedAt, Exit);
}

/// <summary>
/// One container of a pod across its restarts: the kubelet's view behind one entry of status.containerStatuses. The current
/// instance (running, or just terminated) and the last terminated one (lastState, <c>logs --previous</c>). Guarded by its pod
/// worker's lock, except the back-offs, which only the container's own loop touches.
/// </summary>
internal sealed class ContainerSlot(string name, JsonObject spec, bool isInit, BackOff crashBackOff, BackOff pullBackOff)
{
    public string Name { get; } = name;

    public JsonObject Spec { get; } = spec;

    public bool IsInit { get; } = isInit;

    public string Image => JsonValues.String(Spec["image"]) ?? "";

    public BackOff CrashBackOff { get; } = crashBackOff;

    public BackOff PullBackOff { get; } = pullBackOff;

    /// <summary>Shown while there is no current instance: ContainerCreating, ErrImagePull, CrashLoopBackOff, ...</summary>
    public (string Reason, string? Message) Waiting { get; set; } = ("ContainerCreating", null);

    public ContainerInstance? Current { get; set; }

    public ContainerInstance? LastTerminated { get; set; }

    public int RestartCount { get; set; }

    public bool Ready { get; set; }

    public bool Started { get; set; }

    public bool EverStarted { get; set; }

    public string? ImageId { get; set; }

    public bool IsRunning => Current is { IsRunning: true };

    /// <summary>The instance whose exit decides the phase: the current one, or the last terminated while waiting to restart.</summary>
    public ContainerInstance? Latest => Current ?? LastTerminated;

    /// <summary>Leaving a terminated state for a restart: the terminated instance becomes lastState.</summary>
    public void RetireTerminated()
    {
        if (Current is { IsRunning: false } done)
        {
            LastTerminated = done;
            Current = null;
        }
    }

    /// <summary>What the status shows of this container (see <see cref="PodStatusBuilder.ContainerStatus"/>).</summary>
    public ContainerView View() => new(Name, Image, ImageId, Current?.Run(), LastTerminated?.Run(), Waiting.Reason, Waiting.Message,
        RestartCount, Ready, Started);
}
