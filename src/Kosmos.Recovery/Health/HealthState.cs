namespace Kosmos.Recovery.Health;

/// <summary>An agent's health as the dashboard shows it. Failure states name the cause, not the symptom.</summary>
public enum HealthState
{
    Healthy,

    /// <summary>A rollout or start-up is under way and nothing has gone wrong yet.</summary>
    Progressing,

    /// <summary>A container keeps crashing, or crashed and will not be restarted, or cannot be started because of its configuration.</summary>
    CrashLoopBackOff,

    /// <summary>A container was (recently) killed for using more memory than its limit.</summary>
    OOMKilled,

    /// <summary>A container runs but fails its health checks (readiness, liveness or startup probe).</summary>
    Unresponsive,

    /// <summary>A pod cannot be scheduled or is stuck starting (volumes, sandbox, quota).</summary>
    Pending,

    /// <summary>An image cannot be pulled.</summary>
    ImagePull,

    /// <summary>Some pods serve while others fail for different or unexplained reasons.</summary>
    Degraded,

    /// <summary>Nothing to judge by: no deployment and no pods, or the pods' node stopped reporting.</summary>
    Unknown,

    /// <summary>
    /// Every pod serves again, but a container crashed or was OOM-killed recently (within the classifier's recent window)
    /// and has been up only since: not failing, not yet plainly healthy.
    /// </summary>
    Recovered,

    /// <summary>The Deployment asks for zero replicas: nothing runs, on purpose.</summary>
    ScaledToZero,
}

/// <summary>The runbook section (agent-recovery-runbook.md) that tells a person what to do next.</summary>
public enum RunbookSection
{
    None,

    /// <summary>"1. Pod CrashLoopBackOff": previous logs, configuration, environment, dependencies.</summary>
    CrashLoopBackOff,

    /// <summary>"2. Out of Memory (OOM)": raise the memory limit, then restart the deployment.</summary>
    OutOfMemory,

    /// <summary>"3. Unresponsive Agent": check the probes, exec in, restart the pod.</summary>
    UnresponsiveAgent,

    /// <summary>Not in the runbook yet: scheduling (capacity, quota), volumes and start-up.</summary>
    Pending,

    /// <summary>Not in the runbook yet: image name, tag, registry credentials.</summary>
    ImagePull,
}
