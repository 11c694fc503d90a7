using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// Told by the executor when an action starts and how it ended (after the audit record is written), e.g. to put it on an
/// incident's timeline or refresh a live audit view.
/// </summary>
/// <remarks>
/// Lifetime: a singleton. Called on the executor's thread, so implementations must return at once (queue the work) and
/// must not throw; an exception is logged by the executor and never changes the action.
/// </remarks>
public interface IActionObserver
{
    void ActionStarted(ActionStart start);

    void ActionFinished(ActionOutcome outcome);
}

/// <summary>An action someone asked for, before it is authorised: who, what, on which agent, with which values.</summary>
public sealed record ActionStart(Guid Id, ActionKind Kind, AgentRef Target, Actor Actor, ActionRequest Request, DateTimeOffset At);
