using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Runtime;

/// <summary>
/// What the API layer needs from the simulated kubelet: container logs and exec. Implementations throw
/// <see cref="Api.ApiException"/> for a missing pod or container, or a container without a previous run.
/// </summary>
public interface IPodRuntime
{
    /// <summary>The log of the current (or, with <paramref name="previous"/>, the last terminated) run of a container.</summary>
    IReadOnlyList<LogLine> ReadLog(string ns, string pod, string? container, bool previous);

    /// <summary>Lines appended to the current run's log from now on, until the container stops or <paramref name="ct"/> fires.</summary>
    IAsyncEnumerable<LogLine> FollowLog(string ns, string pod, string? container, CancellationToken ct);

    /// <summary>Serves one exec request (a WebSocket upgrade) against a running container.</summary>
    Task ExecAsync(HttpContext http, string ns, string pod, string? container, IReadOnlyList<string> command, CancellationToken ct);
}

public readonly record struct LogLine(DateTimeOffset Time, string Text);
