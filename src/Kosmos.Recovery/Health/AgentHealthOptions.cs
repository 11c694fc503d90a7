namespace Kosmos.Recovery.Health;

/// <summary>Thresholds of the classifier. The defaults suit agents that start within a minute or two.</summary>
public sealed record AgentHealthOptions
{
    public static AgentHealthOptions Default { get; } = new();

    /// <summary>Events and terminations older than this are history, not evidence of a current problem.</summary>
    public TimeSpan RecentWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a started container may stay not ready (after its readiness probe's initial delay) before it counts as unresponsive.</summary>
    public TimeSpan NotReadyGrace { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a pod may wait for its new claims to bind (the scheduler's "unbound immediate PersistentVolumeClaims")
    /// before it counts as Pending: provisioning takes seconds, so a shorter wait is a start, not a failure.
    /// </summary>
    public TimeSpan ClaimBindGrace { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a pod may stay in ContainerCreating, PodInitializing or an init step before it counts as stuck.</summary>
    public TimeSpan StartupGrace { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Restarts after which a container that exited non-zero recently counts as crash looping even while it runs again.</summary>
    public int CrashRestartThreshold { get; init; } = 3;

    /// <summary>
    /// How long a container that crashed recently must have been running and ready before the agent counts as recovered
    /// rather than crash looping: a crash-looping container runs and may be ready for a moment between back-offs.
    /// </summary>
    public TimeSpan RecoveredAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Evidence lines kept, most telling first.</summary>
    public int MaxEvidence { get; init; } = 8;
}
