using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Audit;

/// <summary>
/// Tells live views that the audit has a new record: the executor notifies it after each attempt is written. A singleton;
/// <see cref="Written"/> is raised on the executor's thread, so handlers marshal to their renderer and return at once.
/// </summary>
public sealed class AuditFeed : IActionObserver
{
    public event Action<ActionOutcome>? Written;

    public void ActionStarted(ActionStart start)
    {
    }

    public void ActionFinished(ActionOutcome outcome) => Written?.Invoke(outcome);
}
