namespace Kosmos.Recovery.Actions;

/// <summary>
/// One action as every viewer sees it while it runs and when it ends: who asked, who approved, the latest progress, and the
/// outcome once there is one. Immutable; a new value on every change.
/// </summary>
public sealed record ActionActivity(
    Guid ActionId,
    ActionKind Kind,
    AgentRef Target,
    Actor RequestedBy,
    Actor? ApprovedBy,
    DateTimeOffset StartedAt,
    ActionStatus Status,
    ActionProgress? Progress,
    ActionOutcome? Outcome)
{
    public bool IsRunning => Status == ActionStatus.Running;

    /// <summary>One line for a page, e.g. "Restart by ada (approved by bob) — Waiting for the rollout: 1/2 new pods ready".</summary>
    public string Text
    {
        get
        {
            var who = $"{ActionCatalog.Get(Kind).Title} by {RequestedBy.Name}" + (ApprovedBy is { } approver ? $" (approved by {approver.Name})" : "");
            return IsRunning
                ? $"{who} — {Progress?.Message ?? "starting"}"
                : $"{who} — {Status}: {Outcome?.Summary}";
        }
    }
}

/// <summary>
/// The live stream of recovery actions: every start, progress report and end, from the one executor, for pages (an agent
/// page, the board, the header) and for in-process subscribers such as an incident timeline.
/// </summary>
/// <remarks>
/// <para>Lifetime: a singleton for the life of the dashboard.</para>
/// <para>Threading: thread-safe. <see cref="Running"/> is a snapshot. <see cref="WatchAsync"/> gives each caller its own
/// bounded buffer that keeps the newest values (a slow reader loses intermediate progress, never the final value of an
/// action unless it falls more than the buffer behind); values arrive on the executor's threads, so a UI must marshal.</para>
/// <para>Cancellation: <see cref="WatchAsync"/> ends without an exception when its token is cancelled.</para>
/// </remarks>
public interface IActionActivity
{
    /// <summary>The actions running now, oldest first.</summary>
    IReadOnlyList<ActionActivity> Running { get; }

    /// <summary>The most recent activity (running or just finished) for <paramref name="target"/>, or null.</summary>
    ActionActivity? Latest(AgentRef target);

    /// <summary>Every change from now on: an action started, reported progress or ended (then <see cref="ActionActivity.Outcome"/> is set).</summary>
    IAsyncEnumerable<ActionActivity> WatchAsync(CancellationToken cancellationToken);
}
