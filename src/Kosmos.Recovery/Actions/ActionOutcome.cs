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
    /// <summary>Whether this attempt changed the cluster (its Apply step succeeded).</summary>
    public bool Changed => Steps.Any(s => s.Step == ActionStep.Apply && s.State == StepState.Done);

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
                _ => Changed ? $"{what} was applied, then failed: {Error}" : $"{what} failed: {Error} Nothing was changed.",
            };
        }
    }
}

/// <summary>
/// Records one attempt's steps as they happen and turns them into an <see cref="ActionOutcome"/>; steps never reached are
/// reported as <see cref="StepState.NotRun"/>. Not thread-safe: one attempt, one recorder.
/// </summary>
public sealed class ActionRecorder(Guid id, ActionKind kind, AgentRef target, Actor actor, DateTimeOffset startedAt)
{
    private readonly Dictionary<ActionStep, StepResult> _steps = [];

    public Guid Id { get; } = id;

    public ActionPlan? Plan { get; set; }

    public VerificationResult? Verification { get; set; }

    public void Done(ActionStep step, string detail) => _steps[step] = new StepResult(step, StepState.Done, detail);

    public void Failed(ActionStep step, string detail) => _steps[step] = new StepResult(step, StepState.Failed, detail);

    public ActionOutcome Finish(ActionStatus status, DateTimeOffset finishedAt, string? error = null) => new(
        Id,
        kind,
        target,
        actor,
        startedAt,
        finishedAt,
        status,
        [.. Enum.GetValues<ActionStep>().Select(s => _steps.GetValueOrDefault(s) ?? new StepResult(s, StepState.NotRun, NotRunReason(s)))],
        Plan,
        Verification,
        error);

    private string NotRunReason(ActionStep step) =>
        step == ActionStep.Apply ? "not applied: nothing was changed" : "not run";
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
}
