using System.Security.Claims;
using Kosmos.Dashboard.Approvals;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;

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

    /// <summary>
    /// Confirmed, and the action needs a second person: the request (<see cref="ActionDialogModel.Approval"/>) waits for an
    /// incident commander. Nothing was changed yet; approval moves on to <see cref="Running"/>.
    /// </summary>
    AwaitingApproval,

    /// <summary>The request ended without the action running: rejected, expired, cancelled or void (see <see cref="ActionDialogModel.Approval"/>).</summary>
    NotApproved,
}

/// <summary>
/// What the dialog needs for actions that wait for a second person: the requests (to follow one live), the decisions (the
/// requester's cancel), the action stream (progress once approved), and whether break-glass is on (Kosmos:Approvals:BreakGlass).
/// </summary>
public sealed record ActionDialogApprovals(IApprovals Requests, IApprovalDecisions Decisions, IActionActivity Activity, bool BreakGlassEnabled);

/// <summary>
/// The confirm-and-run dialog of one action on one agent, without a renderer: (values →) preview → confirm → live progress
/// → result. Values (set resources) are judged by the executor's own validator, not by rules of the dialog's.
/// All calls go through the <see cref="IActionExecutor"/> (which authorises again on the server). <see cref="Changed"/> is
/// raised on any thread when something to show changed; the component re-renders on its own thread. Not meant to be shared.
/// An action that needs approval (<see cref="ActionDefinition.RequiresApproval"/>) is confirmed by typing the agent's name
/// and then waits in <see cref="ActionDialogPhase.AwaitingApproval"/>; <see cref="FollowApprovalAsync"/> follows the request
/// to its end (approved → progress → result, or rejected, expired, cancelled, void).
/// </summary>
public sealed class ActionDialogModel(IActionExecutor executor, ClaimsPrincipal user, ActionKind kind, AgentRef target, IActionForm? form = null,
    ActionDialogApprovals? approvals = null)
    : IProgress<ActionProgress>
{
    private readonly Lock _follow = new();
    private readonly Dictionary<Guid, ActionActivity> _activityById = [];
    private volatile ActionProgress? _progress;
    private CancellationTokenSource? _followDone;

    public event Action? Changed;

    public ActionDefinition Definition { get; } = ActionCatalog.Get(kind);

    public AgentRef Target { get; } = target;

    public ActionDialogPhase Phase { get; private set; } = form is null or PresetForm ? ActionDialogPhase.LoadingPreview : ActionDialogPhase.EditingValues;

    /// <summary>The values being edited (set resources, set env), or null for an action that takes none.</summary>
    public IActionForm? Form { get; } = form;

    /// <summary>Whether to show the validator's verdict: once the person changed a value, or when values were pre-filled.</summary>
    public bool ShowValidation => _edited || Form is { IsEmpty: false };

    private bool _edited;

    /// <summary>The server's verdict on the values as they are now (null before the first check or without values).</summary>
    public ActionValidation? Validation { get; private set; }

    public bool CanPreview => Phase == ActionDialogPhase.EditingValues && Validation is { IsValid: true };

    /// <summary>Whether the person can go back from the preview (or its failure) to change the values.</summary>
    public bool CanEditValues => Form is not null and not PresetForm && Phase is ActionDialogPhase.AwaitingConfirmation or ActionDialogPhase.PreviewFailed;

    public ActionPlan? Plan { get; private set; }

    public string? Error { get; private set; }

    public ActionOutcome? Outcome { get; private set; }

    /// <summary>The latest progress report while running.</summary>
    public ActionProgress? Progress => _progress;

    /// <summary>What the person typed, for actions that ask them to type the agent's name.</summary>
    public string? TypedConfirmation { get; set; }

    /// <summary>Whether the person must type the agent's name: actions that ask for it, and every action that needs approval.</summary>
    public bool NeedsTypedName => Definition.RequiresTypedConfirmation || Definition.RequiresApproval;

    /// <summary>Whether what was typed is exactly the agent's name (the server checks <c>confirmName</c> again).</summary>
    public bool TypedNameMatches => string.Equals(TypedConfirmation?.Trim(), Target.Name, StringComparison.Ordinal);

    /// <summary>Whether the confirmation goes to an incident commander for approval rather than straight to the cluster.</summary>
    public bool NeedsApproval => Definition.RequiresApproval && !BreakGlass;

    /// <summary>
    /// Whether this person may break glass here: the action needs approval, break-glass is on, and they are an incident
    /// commander. Only then is the checkbox shown; the executor refuses a break-glass reason otherwise anyway.
    /// </summary>
    public bool CanBreakGlass => Definition.RequiresApproval && approvals is { BreakGlassEnabled: true } && user.IsInRole(KosmosRoles.IncidentCommander);

    /// <summary>Run without approval (break-glass), with <see cref="BreakGlassReason"/>; only when <see cref="CanBreakGlass"/>.</summary>
    public bool BreakGlass { get; set; }

    public string? BreakGlassReason { get; set; }

    public bool CanConfirm => Phase == ActionDialogPhase.AwaitingConfirmation
        && (NeedsTypedName ? TypedNameMatches : Definition.IsConfirmedBy(Target, TypedConfirmation))
        && (!BreakGlass || (CanBreakGlass && !string.IsNullOrWhiteSpace(BreakGlassReason)));

    /// <summary>The confirm button's words: what happens when it is pressed.</summary>
    public string ConfirmLabel => BreakGlass ? $"Break glass: {Definition.Title.ToLowerInvariant()} now without approval"
        : NeedsApproval ? "Request approval"
        : $"Confirm {Definition.Title.ToLowerInvariant()}";

    /// <summary>Why the confirm button is disabled, when the person can do something about it; null otherwise.</summary>
    public string? ConfirmHint => Phase != ActionDialogPhase.AwaitingConfirmation ? null
        : NeedsTypedName && !TypedNameMatches ? $"Type the agent's name, {Target.Name}, to confirm."
        : BreakGlass && string.IsNullOrWhiteSpace(BreakGlassReason) ? "Break-glass needs a written reason."
        : null;

    /// <summary>The approval request, as it is now (after confirming an action that needs approval); null before or without.</summary>
    public ApprovalRequest? Approval { get; private set; }

    /// <summary>The request's id once confirmed (also when it could not be read back yet).</summary>
    public Guid? ApprovalId { get; private set; }

    /// <summary>The request's state in words for the requester (<see cref="ApprovalLook.Text"/>), or null.</summary>
    public string? ApprovalText => Approval is { } request ? ApprovalLook.Text(request) : null;

    /// <summary>Whether the requester can still withdraw the request.</summary>
    public bool CanCancelRequest => Phase == ActionDialogPhase.AwaitingApproval && approvals is not null && ApprovalId is not null;

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

    /// <summary>The first step: the dry run for an action without values (or preset ones), the validation of the pre-filled values otherwise.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Form is null or PresetForm)
        {
            return LoadPreviewAsync(cancellationToken);
        }

        Revalidate();
        return Task.CompletedTask;
    }

    public async Task LoadPreviewAsync(CancellationToken cancellationToken)
    {
        if (Form is not null and not PresetForm && !CanPreview)
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

    /// <summary>
    /// Runs the confirmed action, or (an action that needs approval) files the request and moves to
    /// <see cref="ActionDialogPhase.AwaitingApproval"/>; a second call while it runs (a double click) does nothing.
    /// </summary>
    public async Task ConfirmAsync(CancellationToken cancellationToken)
    {
        if (!CanConfirm || Plan is not { } plan)
        {
            return;
        }

        var breakGlass = BreakGlass ? BreakGlassReason?.Trim() : null;
        Phase = ActionDialogPhase.Running;
        _progress = null;
        Notify();
        // Exactly what was previewed: its precondition, its values and the executor's fingerprint of both; the typed name
        // and a break-glass reason go with it, for the server to check again.
        var confirmation = plan.Confirmation with
        {
            TypedName = NeedsTypedName ? TypedConfirmation?.Trim() : null,
            BreakGlassReason = breakGlass,
        };
        var outcome = await executor.ExecuteAsync(user, Definition.Kind, Target, confirmation, this, cancellationToken);
        if (outcome.Status == ActionStatus.AwaitingApproval && outcome.ApprovalId is { } id)
        {
            ApprovalId = id;
            Outcome = outcome;
            Phase = ActionDialogPhase.AwaitingApproval;
            if (approvals is not null)
            {
                Approval = await approvals.Requests.FindAsync(id, cancellationToken);
            }
        }
        else
        {
            Outcome = outcome;
            Phase = ActionDialogPhase.Finished;
        }

        Notify();
    }

    /// <summary>
    /// Follows the request filed by <see cref="ConfirmAsync"/> live until it ends: approved (then the action's progress from
    /// the activity stream, then its outcome), rejected, expired, cancelled or void. Returns at once when there is no request
    /// to follow; ends quietly when <paramref name="cancellationToken"/> is cancelled (the dialog closed: the request stays).
    /// </summary>
    public async Task FollowApprovalAsync(CancellationToken cancellationToken)
    {
        if (approvals is null || ApprovalId is not { } id || Phase != ActionDialogPhase.AwaitingApproval)
        {
            return;
        }

        var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_follow)
        {
            _followDone = done;
        }

        try
        {
            // Both streams are subscribed before the current state is read again, so a decision made in between is seen either way.
            var requests = FollowRequestsAsync(id, done.Token);
            var activity = FollowActivityAsync(done.Token);
            await Task.Yield();
            if (await approvals.Requests.FindAsync(id, done.Token) is { } now)
            {
                OnRequest(now);
            }

            await Task.WhenAll(requests, activity);
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // Ended (or the dialog closed).
        }
        finally
        {
            lock (_follow)
            {
                _followDone = null;
            }

            done.Dispose();
        }
    }

    /// <summary>Withdraws the request (only its requester may; the service checks again). A refusal is shown as <see cref="Error"/>.</summary>
    public async Task CancelRequestAsync(CancellationToken cancellationToken)
    {
        if (!CanCancelRequest || approvals is null || ApprovalId is not { } id)
        {
            return;
        }

        var decision = await approvals.Decisions.CancelAsync(user, id, cancellationToken);
        Error = decision.Succeeded ? null : decision.Error;
        if (decision.Request is { } request)
        {
            OnRequest(request);
        }

        Notify();
    }

    private async Task FollowRequestsAsync(Guid id, CancellationToken ct)
    {
        await foreach (var request in approvals!.Requests.WatchAsync(ct))
        {
            if (request.Id == id)
            {
                OnRequest(request);
            }
        }
    }

    private async Task FollowActivityAsync(CancellationToken ct)
    {
        await foreach (var activity in approvals!.Activity.WatchAsync(ct))
        {
            if (activity.Target == Target && activity.Kind == Definition.Kind)
            {
                OnActivity(activity);
            }
        }
    }

    private void OnRequest(ApprovalRequest request)
    {
        lock (_follow)
        {
            if (Phase is not (ActionDialogPhase.AwaitingApproval or ActionDialogPhase.Running))
            {
                return;
            }

            Approval = request;
            switch (request.Status)
            {
                case ApprovalStatus.Pending:
                    break;
                case ApprovalStatus.Approved:
                    Phase = ActionDialogPhase.Running;
                    if (request.ActionId is { } actionId)
                    {
                        // The action may have reported (or even ended) before this decision reached the dialog.
                        var seen = _activityById.GetValueOrDefault(actionId)
                            ?? (approvals!.Activity.Latest(Target) is { } latest && latest.ActionId == actionId ? latest : null);
                        if (seen is not null)
                        {
                            ApplyActivity(seen);
                        }
                    }

                    break;
                default:
                    Phase = ActionDialogPhase.NotApproved;
                    _followDone?.Cancel();
                    break;
            }
        }

        Notify();
    }

    private void OnActivity(ActionActivity activity)
    {
        lock (_follow)
        {
            _activityById[activity.ActionId] = activity;
            if (Approval is { Status: ApprovalStatus.Approved, ActionId: { } actionId } && actionId == activity.ActionId)
            {
                ApplyActivity(activity);
            }
        }

        Notify();
    }

    // Under _follow.
    private void ApplyActivity(ActionActivity activity)
    {
        if (activity.Outcome is { } outcome)
        {
            Outcome = outcome;
            Phase = ActionDialogPhase.Finished;
            _followDone?.Cancel();
        }
        else if (activity.Progress is { } progress)
        {
            _progress = progress;
        }
    }

    void IProgress<ActionProgress>.Report(ActionProgress value)
    {
        _progress = value;
        Notify();
    }

    private void Notify() => Changed?.Invoke();
}
