using System.Security.Claims;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.ViewModels;

public enum ActionDialogPhase
{
    /// <summary>The person enters the values (set resources); the server's validator answers as they type.</summary>
    EditingValues,

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
/// The confirm-and-run dialog of one action on one agent, without a renderer: (values →) preview → confirm → live progress
/// → result. Values (set resources) are judged by the executor's own validator, not by rules of the dialog's.
/// All calls go through the <see cref="IActionExecutor"/> (which authorises again on the server). <see cref="Changed"/> is
/// raised on any thread when something to show changed; the component re-renders on its own thread. Not meant to be shared.
/// </summary>
public sealed class ActionDialogModel(IActionExecutor executor, ClaimsPrincipal user, ActionKind kind, AgentRef target, IActionForm? form = null)
    : IProgress<ActionProgress>
{
    private volatile ActionProgress? _progress;

    public event Action? Changed;

    public ActionDefinition Definition { get; } = ActionCatalog.Get(kind);

    public AgentRef Target { get; } = target;

    public ActionDialogPhase Phase { get; private set; } = form is null ? ActionDialogPhase.LoadingPreview : ActionDialogPhase.EditingValues;

    /// <summary>The values being edited (set resources, set env), or null for an action that takes none.</summary>
    public IActionForm? Form { get; } = form;

    /// <summary>Whether to show the validator's verdict: once the person changed a value, or when values were pre-filled.</summary>
    public bool ShowValidation => _edited || Form is { IsEmpty: false };

    private bool _edited;

    /// <summary>The server's verdict on the values as they are now (null before the first check or without values).</summary>
    public ActionValidation? Validation { get; private set; }

    public bool CanPreview => Phase == ActionDialogPhase.EditingValues && Validation is { IsValid: true };

    /// <summary>Whether the person can go back from the preview (or its failure) to change the values.</summary>
    public bool CanEditValues => Form is not null && Phase is ActionDialogPhase.AwaitingConfirmation or ActionDialogPhase.PreviewFailed;

    public ActionPlan? Plan { get; private set; }

    public string? Error { get; private set; }

    public ActionOutcome? Outcome { get; private set; }

    /// <summary>The latest progress report while running.</summary>
    public ActionProgress? Progress => _progress;

    /// <summary>What the person typed, for actions that ask them to type the agent's name.</summary>
    public string? TypedConfirmation { get; set; }

    public bool CanConfirm => Phase == ActionDialogPhase.AwaitingConfirmation && Definition.IsConfirmedBy(Target, TypedConfirmation);

    /// <summary>
    /// The dialog may always close: a confirmed action runs on in the background (the agent page, the board and every viewer
    /// show its progress from the live activity stream, and the audit keeps its result).
    /// </summary>
    public bool CanClose => true;

    /// <summary>Progress as one line, e.g. "Waiting for the rollout: 1/2 new pods ready".</summary>
    public string ProgressText => _progress?.Message ?? "Starting";

    /// <summary>0–100 while pods come up, null when there is no count to show.</summary>
    public double? ProgressPercent =>
        _progress is { Ready: { } ready, Desired: > 0 and var desired } ? 100.0 * Math.Min(ready, desired) / desired : null;

    /// <summary>Asks the server's validator about the values as they are now (cheap: no cluster call).</summary>
    public void Revalidate()
    {
        if (Form is not null)
        {
            Validation = executor.Validate(Definition.Kind, Target, Form.ToActionRequest());
            Notify();
        }
    }

    public void SetValue(ResourceField field, string? value) => Update(() => (Form as SetResourcesForm)?.Set(field, value));

    public void SetContainer(string? container) => Update(() =>
    {
        switch (Form)
        {
            case SetResourcesForm resources: resources.Container = container; break;
            case SetEnvForm env: env.Container = container; break;
            case SetImageForm image: image.Container = container; break;
        }
    });

    /// <summary>Applies a change the person made to the values, then asks the server's validator again.</summary>
    public void Update(Action change)
    {
        ArgumentNullException.ThrowIfNull(change);
        change();
        _edited = true;
        Revalidate();
    }

    /// <summary>Back from the preview to the values.</summary>
    public void EditValues()
    {
        if (CanEditValues)
        {
            Phase = ActionDialogPhase.EditingValues;
            Plan = null;
            Error = null;
            Revalidate();
        }
    }

    /// <summary>The first step: the dry run for an action without values, the validation of the pre-filled values otherwise.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Form is null)
        {
            return LoadPreviewAsync(cancellationToken);
        }

        Revalidate();
        return Task.CompletedTask;
    }

    public async Task LoadPreviewAsync(CancellationToken cancellationToken)
    {
        if (Form is not null && !CanPreview)
        {
            return;
        }

        Phase = ActionDialogPhase.LoadingPreview;
        Notify();
        var request = Form?.ToActionRequest() ?? ActionRequest.None;
        var result = await executor.PreviewAsync(user, Definition.Kind, Target, request, cancellationToken);
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
        // Exactly what was previewed: its precondition, its values and the executor's fingerprint of both.
        Outcome = await executor.ExecuteAsync(user, Definition.Kind, Target, plan.Confirmation, this, cancellationToken);
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
