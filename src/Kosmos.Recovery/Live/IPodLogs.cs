namespace Kosmos.Recovery.Live;

/// <summary>Container logs, read on demand (not cached). Implementations talk to the cluster; errors come back as <see cref="LogResult.Error"/>.</summary>
public interface IPodLogs
{
    /// <summary>The last <paramref name="tailLines"/> lines of the current run, or of the previous (crashed) run.</summary>
    Task<LogResult> ReadAsync(string ns, string pod, string container, bool previous, int tailLines, CancellationToken ct);

    /// <summary>New lines of the current run as they are written, until <paramref name="ct"/> fires or the container stops.</summary>
    IAsyncEnumerable<string> FollowAsync(string ns, string pod, string container, CancellationToken ct);
}

/// <summary>Log lines, or the reason there are none (e.g. "no previous run: container agent has not restarted").</summary>
public sealed record LogResult(IReadOnlyList<string> Lines, string? Error)
{
    public static LogResult Failed(string error) => new([], error);
}
