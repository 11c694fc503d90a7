using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// Follows one agent on the shared board (no polling of the API server) and re-evaluates a pure rollout rule on every change,
/// reporting progress when it moves. One per verification; not thread-safe. Dispose to unsubscribe.
/// </summary>
internal sealed class RolloutWatch : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly AgentRef _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly IAsyncEnumerator<AgentDetail?> _details;
    private readonly long _started;

    // The read in flight: a wait that times out leaves it running for the next wait, as the stream cannot be read again once
    // a cancelled read has ended it.
    private Task<bool>? _next;

    public RolloutWatch(IAgentBoard board, TimeProvider time, AgentRef target)
    {
        _time = time;
        _target = target;
        _started = time.GetTimestamp();
        _details = board.WatchDetailAsync(target.Namespace, target.Name, _stop.Token).GetAsyncEnumerator(_stop.Token);

        // The first detail, the current one, is there without waiting (IAgentBoard.WatchDetailAsync).
        _next = _details.MoveNextAsync().AsTask();
        if (_next.IsCompletedSuccessfully)
        {
            Latest = _next.Result ? _details.Current : null;
            _next = null;
        }
    }

    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    public AgentDetail? Latest { get; private set; }

    /// <summary>
    /// Waits until <paramref name="evaluate"/> says complete, or <paramref name="failed"/> names a reason to stop (a
    /// not-verified result), or <paramref name="timeout"/> passes. Throws <see cref="OperationCanceledException"/> only for
    /// <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task<(VerificationResult? Failure, RolloutProgress State)> UntilCompleteAsync(Func<AgentDetail?, RolloutProgress> evaluate,
        Func<AgentDetail?, string?>? failed, IProgress<ActionProgress>? progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var state = Report(evaluate(Latest), null, progress);
        try
        {
            while (!state.Complete)
            {
                if (failed?.Invoke(Latest) is { } reason)
                {
                    return (Result(false, reason, state), state);
                }

                if (!await NextAsync(linked.Token))
                {
                    return (Result(false, $"the dashboard stopped watching {_target} before its rollout completed: {state.Detail}", state), state);
                }

                state = Report(evaluate(Latest), state, progress);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (Result(false, $"the rollout of {_target} did not complete within {DeploymentCalls.Seconds(timeout)}: {state.Detail}", state), state);
        }

        return (failed?.Invoke(Latest) is { } late ? Result(false, late, state) : null, state);
    }

    /// <summary>
    /// Watches for <paramref name="window"/> (or until <paramref name="cancellationToken"/>) whether <paramref name="failed"/>
    /// finds a reason; null when none did in the whole window.
    /// </summary>
    public async Task<string?> QuietForAsync(Func<AgentDetail?, string?> failed, TimeSpan window, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(window, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            while (failed(Latest) is null)
            {
                if (!await NextAsync(linked.Token))
                {
                    return $"the dashboard stopped watching {_target}";
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return failed(Latest);
    }

    public VerificationResult Result(bool verified, string detail, RolloutProgress state) => new(verified, detail, state.Ready, state.Desired, Elapsed);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_next is not null)
        {
            await ((Task)_next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _details.DisposeAsync();
        _stop.Dispose();
    }

    private async Task<bool> NextAsync(CancellationToken ct)
    {
        _next ??= _details.MoveNextAsync().AsTask();
        var more = await _next.WaitAsync(ct);
        _next = null;
        if (more)
        {
            Latest = _details.Current;
        }

        return more;
    }

    private static RolloutProgress Report(RolloutProgress now, RolloutProgress? before, IProgress<ActionProgress>? progress)
    {
        if (now != before)
        {
            progress?.Report(new ActionProgress(ActionStep.Verify,
                now.Complete ? "Rollout complete: " + now.Detail : "Waiting for the rollout: " + now.Detail, now.Ready, now.Desired));
        }

        return now;
    }
}
