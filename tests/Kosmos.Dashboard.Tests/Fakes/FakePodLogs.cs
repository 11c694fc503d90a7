using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.Tests.Fakes;

/// <summary>
/// A hand-driven <see cref="IPodLogs"/>: tests plant the previous and current logs per container and emit lines to
/// followers. A previous run that was not planted answers like the API server: an error, no lines.
/// </summary>
public sealed class FakePodLogs : IPodLogs
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Pod, string Container, bool Previous), LogResult> _logs = [];
    private readonly List<Follower> _followers = [];
    private readonly List<ReadCall> _reads = [];

    public IReadOnlyList<ReadCall> Reads
    {
        get
        {
            lock (_gate)
            {
                return [.. _reads];
            }
        }
    }

    public int ActiveFollowers
    {
        get
        {
            lock (_gate)
            {
                return _followers.Count;
            }
        }
    }

    public static string NoPreviousRun(string pod, string container) =>
        $"No previous run to show: previous terminated container \"{container}\" in pod \"{pod}\" not found";

    public void SetLog(string pod, string container, bool previous, params string[] lines)
    {
        lock (_gate)
        {
            _logs[(pod, container, previous)] = new LogResult(lines, null);
        }
    }

    public void SetError(string pod, string container, bool previous, string error)
    {
        lock (_gate)
        {
            _logs[(pod, container, previous)] = LogResult.Failed(error);
        }
    }

    public Task<LogResult> ReadAsync(string ns, string pod, string container, bool previous, int tailLines, CancellationToken ct)
    {
        lock (_gate)
        {
            _reads.Add(new ReadCall(ns, pod, container, previous, tailLines));
            if (!_logs.TryGetValue((pod, container, previous), out var result))
            {
                return Task.FromResult(previous ? LogResult.Failed(NoPreviousRun(pod, container)) : new LogResult([], null));
            }

            var lines = result.Lines;
            return Task.FromResult(result with { Lines = [.. lines.Skip(Math.Max(0, lines.Count - tailLines))] });
        }
    }

    public async IAsyncEnumerable<string> FollowAsync(string ns, string pod, string container, [EnumeratorCancellation] CancellationToken ct)
    {
        var follower = new Follower(pod, container, Channel.CreateUnbounded<string>());
        lock (_gate)
        {
            _followers.Add(follower);
        }

        try
        {
            await foreach (var line in follower.Lines.Reader.ReadAllAsync(ct))
            {
                yield return line;
            }
        }
        finally
        {
            lock (_gate)
            {
                _followers.Remove(follower);
            }
        }
    }

    /// <summary>Writes lines to every current follower of the container.</summary>
    public void Emit(string pod, string container, params string[] lines)
    {
        lock (_gate)
        {
            foreach (var follower in _followers.Where(f => f.Pod == pod && f.Container == container))
            {
                foreach (var line in lines)
                {
                    follower.Lines.Writer.TryWrite(line);
                }
            }
        }
    }

    /// <summary>The container stopped: its log streams end.</summary>
    public void EndFollow(string pod, string container)
    {
        lock (_gate)
        {
            foreach (var follower in _followers.Where(f => f.Pod == pod && f.Container == container))
            {
                follower.Lines.Writer.TryComplete();
            }
        }
    }

    public sealed record ReadCall(string Namespace, string Pod, string Container, bool Previous, int TailLines);

    private sealed record Follower(string Pod, string Container, Channel<string> Lines);
}
