using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Actions;

/// <summary>The guarded steps every action goes through, in order.</summary>
public enum ActionStep
{
    Authorise,
    Validate,
    Preview,
    Apply,
    Verify,
}

public enum StepState
{
    /// <summary>The step ran and succeeded.</summary>
    Done,

    /// <summary>The step ran and failed (or refused): the steps after it did not run.</summary>
    Failed,

    /// <summary>The step did not run.</summary>
    NotRun,
}

/// <summary>One step of one attempt: what happened, in words a person can check.</summary>
public sealed record StepResult(ActionStep Step, StepState State, string Detail)
{
    public override string ToString() => $"{Step}: {State}{(Detail.Length > 0 ? " — " + Detail : "")}";
}

/// <summary>How an attempt ended.</summary>
public enum ActionStatus
{
    /// <summary>Applied, and the outcome was verified (for a restart: every pod replaced and ready).</summary>
    Verified,

    /// <summary>Applied, but verification failed, timed out or was cancelled: the change is in the cluster.</summary>
    Unverified,

    /// <summary>The caller may not run the action. Nothing was changed.</summary>
    Refused,

    /// <summary>The same action is already running for the same agent. Nothing was changed by this attempt.</summary>
    AlreadyRunning,

    /// <summary>No such agent (or it has no Deployment). Nothing was changed.</summary>
    NotFound,

    /// <summary>The agent changed since the preview. Nothing was changed; preview again.</summary>
    Conflict,

    /// <summary>The request or the change is invalid (e.g. nothing would change). Nothing was changed.</summary>
    Invalid,

    /// <summary>The cluster failed the request. Nothing was changed unless the Apply step says so.</summary>
    Failed,

    /// <summary>Still running: the record written before the first change and after every step, replaced when it ends.</summary>
    Running,

    /// <summary>
    /// The dashboard stopped (shut down, killed, crashed) while the action ran: its plan steps say which changes were made.
    /// Found at start-up (a record still <see cref="Running"/>) or recorded on shutdown. Offered for verify-again.
    /// </summary>
    Interrupted,

    /// <summary>Confirmed, but the action needs a second person's approval: nothing was changed yet (see the approval).</summary>
    AwaitingApproval,
}

/// <summary>How far one step of an action's recorded plan got.</summary>
public enum PlanStepState
{
    /// <summary>Not started yet.</summary>
    Pending,

    /// <summary>Started (recorded before its change was sent) and not finished.</summary>
    Running,

    Done,

    Failed,

    /// <summary>Never started: an earlier step failed or the action stopped.</summary>
    NotRun,

    /// <summary>Started, but the dashboard stopped before it was known to be done: check the cluster.</summary>
    Interrupted,
}

/// <summary>One step of an action's recorded plan (e.g. "delete claim kosmos/planner-state") and how far it got.</summary>
public sealed record PlanStepResult(int Index, string Description, PlanStepState State, string Detail)
{
    public override string ToString() => $"{Index + 1}. {Description}: {State}{(Detail.Length > 0 ? " — " + Detail : "")}";
}

/// <summary>
/// Where a multi-step apply records each step as it goes; the executor persists every call before it returns, so a step's
/// record is in the audit before its change is sent and after it is done. Called on the handler's flow, one step at a time.
/// </summary>
public interface IStepJournal
{
    /// <summary>Step <paramref name="index"/> of the plan's <see cref="ActionPlan.Steps"/> is about to send its change.</summary>
    Task StartingAsync(int index, CancellationToken cancellationToken);

    /// <summary>Step <paramref name="index"/> is done; <paramref name="detail"/> says what the cluster answered.</summary>
    Task DoneAsync(int index, string detail, CancellationToken cancellationToken);
}

/// <summary>How verification ended: <see cref="Verified"/> or the reason not, with the last count of ready new pods.</summary>
public sealed record VerificationResult(bool Verified, string Detail, int Ready, int Desired, TimeSpan Elapsed)
{
    /// <summary>What a verified export-state read back: the audit log keeps it with the attempt. Null for other actions.</summary>
    public StateArtifact? Artifact { get; init; }

    public override string ToString() => Detail;
}

/// <summary>Progress of a running attempt, for a live display: the step and a sentence, with pod counts while verifying.</summary>
public sealed record ActionProgress(ActionStep Step, string Message, int? Ready = null, int? Desired = null);

/// <summary>
/// The whole record of one attempt: who, what, every step with what it did or why it did not run, the preview, the
/// verification and the error. What the audit stores and what a person sees at the end. Immutable.
/// </summary>
public sealed record ActionOutcome(
    Guid Id,
    ActionKind Kind,
    AgentRef Target,
    Actor Actor,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    ActionStatus Status,
    ValueList<StepResult> Steps,
    ActionPlan? Plan,
    VerificationResult? Verification,
    string? Error)
{
    /// <summary>The steps of the recorded plan (what Apply does, one change each) and how far each got; empty before a plan.</summary>
    public ValueList<PlanStepResult> PlanSteps { get; init; } = ValueList<PlanStepResult>.Empty;

    /// <summary>The incident commander who approved it (an action that needs approval), or null.</summary>
    public Actor? ApprovedBy { get; init; }

    /// <summary>The approval request this attempt belongs to, or null.</summary>
    public Guid? ApprovalId { get; init; }

    /// <summary>Set when an incident commander ran it alone (break-glass): the written reason.</summary>
    public string? BreakGlassReason { get; init; }

    /// <summary>What applying answered (the target's new resourceVersion and generation), for verify-again; null before.</summary>
    public AppliedAction? Applied { get; init; }

    /// <summary>Whether this attempt changed the cluster (its Apply step, or any step of its plan, was done).</summary>
    public bool Changed => Steps.Any(s => s.Step == ActionStep.Apply && s.State == StepState.Done)
        || PlanSteps.Any(s => s.State == PlanStepState.Done);

    public StepResult StepOf(ActionStep step) => Steps.First(s => s.Step == step);

    /// <summary>One sentence for the person: what was and was not done.</summary>
    public string Summary
    {
        get
        {
            var what = $"{ActionCatalog.Get(Kind).Title} of {Target}";
            return Status switch
            {
                ActionStatus.Verified => $"{what} applied and verified: {Verification?.Detail}",
                ActionStatus.Unverified => $"{what} was applied, but not verified: {Verification?.Detail ?? Error}",
                ActionStatus.Refused => $"{what} refused: {Error} Nothing was changed.",
                ActionStatus.AlreadyRunning => $"{what} is already running. Nothing more was changed.",
                ActionStatus.NotFound => $"{what} not possible: {Error} Nothing was changed.",
                ActionStatus.Conflict => $"{what} not applied: {Error} Nothing was changed.",
                ActionStatus.Invalid => $"{what} not applied: {Error} Nothing was changed.",
                ActionStatus.Running => $"{what} is running.",
                ActionStatus.AwaitingApproval => $"{what} awaits the approval of an incident commander. Nothing was changed yet.",
                ActionStatus.Interrupted => $"{what} was interrupted: {Error}",
                _ => Changed ? $"{what} was applied, then failed: {Error}" : $"{what} failed: {Error} Nothing was changed.",
            };
        }
    }
}

/// <summary>
/// Records one attempt's steps as they happen and turns them into an <see cref="ActionOutcome"/>; steps never reached are
/// reported as <see cref="StepState.NotRun"/>, plan steps never started as <see cref="PlanStepState.NotRun"/>. Not
/// thread-safe: one attempt, one recorder.
/// </summary>
public sealed class ActionRecorder(Guid id, ActionKind kind, AgentRef target, Actor actor, DateTimeOffset startedAt)
{
    private readonly Dictionary<ActionStep, StepResult> _steps = [];
    private PlanStepResult[] _planSteps = [];

    public Guid Id { get; } = id;

    public ActionPlan? Plan { get; private set; }

    public VerificationResult? Verification { get; set; }

    public Actor? ApprovedBy { get; init; }

    public Guid? ApprovalId { get; set; }

    public string? BreakGlassReason { get; set; }

    public AppliedAction? Applied { get; set; }

    /// <summary>Whether a step of the plan was done (the cluster was changed).</summary>
    public bool AnyPlanStepDone => _planSteps.Any(s => s.State == PlanStepState.Done);

    /// <summary>The plan step that was started and not finished, if any.</summary>
    public int? RunningStep => _planSteps.FirstOrDefault(s => s.State == PlanStepState.Running)?.Index;

    /// <summary>Takes the plan to apply; its steps start <see cref="PlanStepState.Pending"/>.</summary>
    public void UsePlan(ActionPlan plan)
    {
        Plan = plan;
        _planSteps = [.. plan.EffectiveSteps.Select((d, i) => new PlanStepResult(i, d, PlanStepState.Pending, ""))];
    }

    public void Done(ActionStep step, string detail) => _steps[step] = new StepResult(step, StepState.Done, detail);

    public void Failed(ActionStep step, string detail) => _steps[step] = new StepResult(step, StepState.Failed, detail);

    public void PlanStep(int index, PlanStepState state, string detail = "")
    {
        if (index >= 0 && index < _planSteps.Length)
        {
            _planSteps[index] = _planSteps[index] with { State = state, Detail = detail };
        }
    }

    /// <summary>The record as it stands, for the audit while the action runs (<see cref="ActionStatus.Running"/>).</summary>
    public ActionOutcome Snapshot(DateTimeOffset now) => Build(ActionStatus.Running, now, null, [.. _planSteps]);

    /// <summary>
    /// The final record: a plan step left running becomes <see cref="PlanStepState.Failed"/> (or
    /// <see cref="PlanStepState.Interrupted"/> when the action was interrupted), and pending ones <see cref="PlanStepState.NotRun"/>.
    /// </summary>
    public ActionOutcome Finish(ActionStatus status, DateTimeOffset finishedAt, string? error = null) => Build(status, finishedAt, error,
        [.. _planSteps.Select(s => s.State switch
        {
            PlanStepState.Pending => s with { State = PlanStepState.NotRun, Detail = "not started" },
            PlanStepState.Running => s with
            {
                State = status == ActionStatus.Interrupted ? PlanStepState.Interrupted : PlanStepState.Failed,
                Detail = error ?? "did not finish",
            },
            _ => s,
        })]);

    private ActionOutcome Build(ActionStatus status, DateTimeOffset at, string? error, ValueList<PlanStepResult> planSteps) => new(
        Id,
        kind,
        target,
        actor,
        startedAt,
        at,
        status,
        [.. Enum.GetValues<ActionStep>().Select(s => _steps.GetValueOrDefault(s) ?? new StepResult(s, StepState.NotRun, NotRunReason(s, status)))],
        Plan,
        Verification,
        error)
    {
        PlanSteps = planSteps,
        ApprovedBy = ApprovedBy,
        ApprovalId = ApprovalId,
        BreakGlassReason = BreakGlassReason,
        Applied = Applied,
    };

    private static string NotRunReason(ActionStep step, ActionStatus status) =>
        status == ActionStatus.Running ? "not yet"
        : step == ActionStep.Apply ? "not applied: nothing was changed" : "not run";
}

/// <summary>Why a step could not go on; the executor turns it into the matching <see cref="ActionStatus"/>.</summary>
public enum ActionFailure
{
    NotFound,
    Conflict,
    Invalid,
    Unavailable,
}

/// <summary>A handler's refusal or failure, with a message meant for the person (it names the agent and what to do).</summary>
public sealed class ActionException(ActionFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ActionFailure Failure { get; } = failure;

    /// <summary>What the action had already kept before it failed (a safety export), for the audit to keep all the same; or null.</summary>
    public StateArtifact? Artifact { get; init; }
}
