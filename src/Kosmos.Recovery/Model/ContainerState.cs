namespace Kosmos.Recovery.Model;

/// <summary>
/// What a container is doing now, or did last. Exactly one of three shapes, as in the Kubernetes API;
/// the private constructor keeps the set closed so a <c>switch</c> over it can be exhaustive.
/// </summary>
public abstract record ContainerState
{
    private ContainerState()
    {
    }

    public sealed record Waiting(string? Reason = null, string? Message = null) : ContainerState;

    public sealed record Running(DateTimeOffset? StartedAt = null) : ContainerState;

    public sealed record Terminated(
        string? Reason = null,
        string? Message = null,
        int ExitCode = 0,
        int? Signal = null,
        DateTimeOffset? StartedAt = null,
        DateTimeOffset? FinishedAt = null) : ContainerState;
}
