using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Health;

/// <summary>What is wrong with a pod. The order is the precedence: when several apply, the first explains the rest.</summary>
internal enum ProblemKind
{
    OomKilled,
    CrashLoop,
    Crashed,
    ConfigError,
    ImagePull,
    LivenessFailing,
    ReadinessFailing,
    Unschedulable,
    StartupStuck,
    Evicted,
    NodeLost,

    /// <summary>Not a problem now: a container crashed recently and has served since (the agent is Recovered).</summary>
    Recovered,
}

internal sealed record PodProblem(
    PodSnapshot Pod,
    ProblemKind Kind,
    string Headline,
    IReadOnlyList<string> Evidence,
    DateTimeOffset? Since)
{
    public HealthState State => Kind switch
    {
        ProblemKind.OomKilled => HealthState.OOMKilled,
        ProblemKind.CrashLoop or ProblemKind.Crashed or ProblemKind.ConfigError => HealthState.CrashLoopBackOff,
        ProblemKind.ImagePull => HealthState.ImagePull,
        ProblemKind.LivenessFailing or ProblemKind.ReadinessFailing => HealthState.Unresponsive,
        ProblemKind.Unschedulable or ProblemKind.StartupStuck => HealthState.Pending,
        ProblemKind.Evicted => HealthState.Degraded,
        ProblemKind.Recovered => HealthState.Recovered,
        _ => HealthState.Unknown,
    };

    /// <summary>Whether the problem names a cause; an eviction or a silent node says something happened, not what to fix.</summary>
    public bool IsSpecific => Kind is not (ProblemKind.Evicted or ProblemKind.NodeLost);

    public RunbookSection Section => State switch
    {
        HealthState.OOMKilled => RunbookSection.OutOfMemory,
        HealthState.CrashLoopBackOff => RunbookSection.CrashLoopBackOff,
        HealthState.ImagePull => RunbookSection.ImagePull,
        HealthState.Unresponsive => RunbookSection.UnresponsiveAgent,
        HealthState.Pending => RunbookSection.Pending,
        _ => RunbookSection.None,
    };
}
