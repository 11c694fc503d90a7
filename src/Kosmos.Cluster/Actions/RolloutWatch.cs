using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// Follows one agent on the shared board (no polling of the API server) and re-evaluates a pure rollout rule on every change,
/// reporting progress when it moves. One per verification; not thread-safe. Dispose to unsubscribe.
/// </summary>
internal sealed class RolloutWatch(IAgentBoard board, TimeProvider time, AgentRef target) : IDisposable
{
    private readonly DetailSubscription _subscription = board.SubscribeDetail(target.Namespace, target.Name);
    private readonly long _started = time.GetTimestamp();
    private AgentDetail? _latest;
    private bool _seen;

    public TimeSpan Elapsed => time.GetElapsedTime(_started);

    public AgentDetail? Latest => _seen ? _latest : _subscription.Current;

    /// <summary>
    /// Waits until <paramref name="evaluate"/> says complete, or <paramref name="failed"/> names a reason to stop (a
    /// not-verified result), or <paramref name="timeout"/> passes. Throws <see cref="OperationCanceledException"/> only for
    /// <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task<(VerificationResult? Failure, RolloutProgress State)> UntilCompleteAsync(Func<AgentDetail?, RolloutProgress> evaluate,
        Func<AgentDetail?, string?>? failed, IProgress<ActionProgress>? progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
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
                    return (Result(false, $"the dashboard stopped watching {target} before its rollout completed: {state.Detail}", state), state);
                }

                state = Report(evaluate(Latest), state, progress);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (Result(false, $"the rollout of {target} did not complete within {DeploymentCalls.Seconds(timeout)}: {state.Detail}", state), state);
        }

        return (failed?.Invoke(Latest) is { } late ? Result(false, late, state) : null, state);
    }

    /// <summary>
    /// Watches for <paramref name="window"/> (or until <paramref name="cancellationToken"/>) whether <paramref name="failed"/>
    /// finds a reason; null when none did in the whole window.
    /// </summary>
    public async Task<string?> QuietForAsync(Func<AgentDetail?, string?> failed, TimeSpan window, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(window, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            while (failed(Latest) is null)
            {
                if (!await NextAsync(linked.Token))
                {
                    return $"the dashboard stopped watching {target}";
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

    public void Dispose() => _subscription.Dispose();

    private async Task<bool> NextAsync(CancellationToken ct)
    {
        if (!await _subscription.Updates.WaitToReadAsync(ct))
        {
            return false;
        }

        while (_subscription.Updates.TryRead(out var detail))
        {
            _latest = detail;
            _seen = true;
        }

        return true;
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
