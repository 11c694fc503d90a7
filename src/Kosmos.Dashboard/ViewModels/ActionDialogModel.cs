using System.Security.Claims;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.ViewModels;

public enum ActionDialogPhase
{
    /// <summary>Asking the server for its dry run.</summary>
    LoadingPreview,

    /// <summary>No preview: refused, unknown agent, cluster failure (<see cref="ActionDialogModel.Error"/> says which).</summary>
    PreviewFailed,

    /// <summary>The preview is shown; waiting for the person to confirm.</summary>
    AwaitingConfirmation,

    /// <summary>Confirmed: applying and verifying (<see cref="ActionDialogModel.Progress"/>).</summary>
    Running,

    /// <summary>Done: <see cref="ActionDialogModel.Outcome"/> says how it ended.</summary>
    Finished,
}

/// <summary>
/// The confirm-and-run dialog of one action on one agent, without a renderer: preview → confirm → live progress → result.
/// All calls go through the <see cref="IActionExecutor"/> (which authorises again on the server). <see cref="Changed"/> is
/// raised on any thread when something to show changed; the component re-renders on its own thread. Not meant to be shared.
/// </summary>
public sealed class ActionDialogModel(IActionExecutor executor, ClaimsPrincipal user, ActionKind kind, AgentRef target) : IProgress<ActionProgress>
{
    private volatile ActionProgress? _progress;

    public event Action? Changed;

    public ActionDefinition Definition { get; } = ActionCatalog.Get(kind);

    public AgentRef Target { get; } = target;

    public ActionDialogPhase Phase { get; private set; } = ActionDialogPhase.LoadingPreview;

    public ActionPlan? Plan { get; private set; }

    public string? Error { get; private set; }

    public ActionOutcome? Outcome { get; private set; }

    /// <summary>The latest progress report while running.</summary>
    public ActionProgress? Progress => _progress;

    /// <summary>What the person typed, for actions that ask them to type the agent's name.</summary>
    public string? TypedConfirmation { get; set; }

    public bool CanConfirm => Phase == ActionDialogPhase.AwaitingConfirmation && Definition.IsConfirmedBy(Target, TypedConfirmation);

    /// <summary>The dialog may close: not while the action runs (closing would not stop it, and the result would be lost).</summary>
    public bool CanClose => Phase != ActionDialogPhase.Running;

    /// <summary>Progress as one line, e.g. "Waiting for the rollout: 1/2 new pods ready".</summary>
    public string ProgressText => _progress?.Message ?? "Starting";

    /// <summary>0–100 while pods come up, null when there is no count to show.</summary>
    public double? ProgressPercent =>
        _progress is { Ready: { } ready, Desired: > 0 and var desired } ? 100.0 * Math.Min(ready, desired) / desired : null;

    public async Task LoadPreviewAsync(CancellationToken cancellationToken)
    {
        Phase = ActionDialogPhase.LoadingPreview;
        Notify();
        var result = await executor.PreviewAsync(user, Definition.Kind, Target, cancellationToken);
        Plan = result.Plan;
        Error = result.Error;
        Phase = result.Plan is null ? ActionDialogPhase.PreviewFailed : ActionDialogPhase.AwaitingConfirmation;
        Notify();
    }

    /// <summary>Runs the confirmed action; a second call while it runs (a double click) does nothing.</summary>
    public async Task ConfirmAsync(CancellationToken cancellationToken)
    {
        if (!CanConfirm || Plan is not { } plan)
        {
            return;
        }

        Phase = ActionDialogPhase.Running;
        _progress = null;
        Notify();
        Outcome = await executor.ExecuteAsync(user, Definition.Kind, Target, plan.Precondition, this, cancellationToken);
        Phase = ActionDialogPhase.Finished;
        Notify();
    }

    void IProgress<ActionProgress>.Report(ActionProgress value)
    {
        _progress = value;
        Notify();
    }

    private void Notify() => Changed?.Invoke();
}
