using System.Collections.Concurrent;
using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kosmos.Dashboard.Approvals;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;
using Kosmos.Recovery.Live;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Kosmos.Dashboard.Actions;

/// <summary>
/// The guarded action executor (see <see cref="IActionExecutor"/>): authorises on the server, validates the target against
/// the live board, runs the handler's dry run, apply and verify, keeps one run per (action, agent) at a time, and audits
/// every attempt. A singleton; thread-safe.
/// </summary>
public sealed partial class ActionExecutor(
    IAuthorizationService authorization,
    IEnumerable<IActionHandler> handlers,
    IAgentBoard board,
    IAuditLog audit,
    IOptions<KosmosOptions> options,
    TimeProvider time,
    ILogger<ActionExecutor> logger,
    IEnumerable<IActionObserver> observers,
    IHostApplicationLifetime? lifetime = null,
    IActionEvents? events = null,
    ActionActivityHub? activity = null,
    ApprovalStore? approvals = null) : IActionExecutor, IVerifyAgain
{
    private readonly IReadOnlyDictionary<ActionKind, IActionHandler> _handlers = handlers.ToDictionary(h => h.Definition.Kind);
    private readonly ConcurrentDictionary<(ActionKind, AgentRef), Guid> _running = new();
    private readonly byte[] _fingerprintKey = RandomNumberGenerator.GetBytes(32);

    public bool IsRunning(ActionKind kind, AgentRef target) => _running.ContainsKey((kind, target));

    public ActionValidation Validate(ActionKind kind, AgentRef target, ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var handler = HandlerFor(kind);
        if (Invalid(target) is { } invalid)
        {
            return ActionValidation.Fail(invalid.Error);
        }

        return Rules(handler, target, request);
    }

    public async Task<PreviewResult> PreviewAsync(ClaimsPrincipal user, ActionKind kind, AgentRef target, ActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var handler = HandlerFor(kind);
        var recorder = new ActionRecorder(Guid.NewGuid(), kind, target, ActorOf(user), time.GetUtcNow());
        if (await RefusalAsync(user, handler.Definition) is { } refusal)
        {
            recorder.Failed(ActionStep.Authorise, refusal + " (preview)");
            await AuditAsync(recorder.Finish(ActionStatus.Refused, time.GetUtcNow(), refusal));
            return PreviewResult.Refused(ActionStatus.Refused, refusal);
        }

        if (Invalid(target) is { } invalid)
        {
            return PreviewResult.Refused(invalid.Status, invalid.Error);
        }

        // The rules first, against the board: a request they refuse never reaches the cluster, not even as a dry run.
        if (Rules(handler, target, request) is { IsValid: false } rules)
        {
            return PreviewResult.Refused(ActionStatus.Invalid, rules.ErrorText);
        }

        try
        {
            var plan = await handler.PlanAsync(target, request, expected: null, cancellationToken);
            return PreviewResult.Ready(plan with { Fingerprint = Fingerprint(kind, target, plan.Precondition, plan.Request) });
        }
        catch (ActionException ex)
        {
            return PreviewResult.Refused(StatusOf(ex.Failure), ex.Message);
        }
    }

    public async Task<ActionOutcome> ExecuteAsync(ClaimsPrincipal user, ActionKind kind, AgentRef target, Confirmation confirmed,
        IProgress<ActionProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        var handler = HandlerFor(kind);
        var actor = ActorOf(user);
        var recorder = new ActionRecorder(Guid.NewGuid(), kind, target, actor, time.GetUtcNow());
        // Observers (the incidents' timelines) hear only of attempts by someone allowed to act: a refused request writes
        // nothing there (RunAsync refuses it again and the audit keeps it).
        var allowed = await RefusalAsync(user, handler.Definition) is null;
        if (allowed)
        {
            Notify(o => o.ActionStarted(new ActionStart(recorder.Id, kind, target, actor, confirmed.Request, time.GetUtcNow())));
        }

        // Shutting down stops the action where it is (recorded as Interrupted), so SIGTERM never waits for a verify timeout.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Stopping);
        var outcome = await RunAsync(user, handler, target, confirmed, recorder, progress, stopping.Token);
        await AuditAsync(outcome);
        Publish(outcome, progress: null);
        if (allowed)
        {
            Notify(o => o.ActionFinished(outcome));
        }

        LogOutcome(outcome.Id, handler.Definition.Slug, target, actor.Name, actor.Role, outcome.Status, outcome.Summary);
        return outcome;
    }

    private DateTimeOffset Now => time.GetUtcNow();

    // Not cancellable: a step's record must be written whatever happens to the caller.
    private Task PersistAsync(ActionRecorder recorder) => audit.WriteAsync(recorder.Snapshot(Now), CancellationToken.None);

    private CancellationToken Stopping => lifetime?.ApplicationStopping ?? CancellationToken.None;

    private async Task<ActionOutcome> RunAsync(ClaimsPrincipal user, IActionHandler handler, AgentRef target, Confirmation confirmed,
        ActionRecorder recorder, IProgress<ActionProgress>? progress, CancellationToken ct)
    {
        var definition = handler.Definition;
        if (await RefusalAsync(user, definition) is { } refusal)
        {
            recorder.Failed(ActionStep.Authorise, refusal);
            return recorder.Finish(ActionStatus.Refused, time.GetUtcNow(), refusal);
        }

        recorder.Done(ActionStep.Authorise, $"{ActorOf(user)} satisfies {definition.RequiredPolicy}");
        if (Invalid(target) is { } invalid)
        {
            recorder.Failed(ActionStep.Validate, invalid.Error);
            return recorder.Finish(invalid.Status, time.GetUtcNow(), invalid.Error);
        }

        var values = confirmed.Request.IsEmpty ? "" : $" (values: {confirmed.Request})";
        if (NotThePreview(definition, target, confirmed) is { } forged)
        {
            recorder.Failed(ActionStep.Validate, forged + values);
            return recorder.Finish(ActionStatus.Invalid, time.GetUtcNow(), forged);
        }

        if (Rules(handler, target, confirmed.Request) is { IsValid: false } rules)
        {
            recorder.Failed(ActionStep.Validate, rules.ErrorText + values);
            return recorder.Finish(ActionStatus.Invalid, time.GetUtcNow(), rules.ErrorText);
        }

        if (NotConfirmed(definition, target, confirmed) is { } unconfirmed)
        {
            recorder.Failed(ActionStep.Validate, unconfirmed);
            return recorder.Finish(ActionStatus.Invalid, time.GetUtcNow(), unconfirmed);
        }

        var approval = definition.RequiresApproval;
        if (confirmed.BreakGlassReason is { } breakGlass)
        {
            if (BreakGlassRefusal(user, definition, breakGlass) is { } noBreakGlass)
            {
                recorder.Failed(ActionStep.Validate, noBreakGlass);
                return recorder.Finish(ActionStatus.Refused, time.GetUtcNow(), noBreakGlass);
            }

            recorder.BreakGlassReason = breakGlass.Trim();
            approval = false;
        }

        if (!_running.TryAdd((definition.Kind, target), recorder.Id))
        {
            var busy = approval
                ? $"A {definition.Slug} of {target} is already being requested or running; this request did nothing."
                : $"A {definition.Slug} of {target} is already running; this request did nothing.";
            recorder.Failed(ActionStep.Validate, busy);
            return recorder.Finish(ActionStatus.AlreadyRunning, time.GetUtcNow(), busy);
        }

        recorder.Done(ActionStep.Validate, $"deployment {target} exists; no other {definition.Slug} of it running{values}");
        var step = ActionStep.Preview;
        var report = new Reporter(this, recorder, progress);
        try
        {
            report.Report(new ActionProgress(step, "Checking the preview against the cluster (server dry run)"));
            var plan = await handler.PlanAsync(target, confirmed.Request, confirmed.Precondition, ct);
            recorder.UsePlan(plan);
            recorder.Done(step, $"dry run from {plan.Precondition}: {plan.Changes.Count} field(s) change" +
                (plan.Warnings.Count > 0 ? "; confirmed despite: " + string.Join(" ", plan.Warnings) : ""));
            if (approval)
            {
                return await RequestApprovalAsync(plan with { Fingerprint = confirmed.Fingerprint }, recorder, ct);
            }

            return await ApplyAndVerifyAsync(handler, plan, recorder, report, ct);
        }
        catch (ActionException ex)
        {
            recorder.Failed(step, ex.Message);
            return recorder.Finish(StatusOf(ex.Failure), time.GetUtcNow(), ex.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            var error = Stopping.IsCancellationRequested ? "The dashboard shut down before the change was applied." : "Cancelled before the change was applied.";
            recorder.Failed(step, error);
            return recorder.Finish(Stopping.IsCancellationRequested ? ActionStatus.Interrupted : ActionStatus.Failed, time.GetUtcNow(), error);
        }
        catch (Exception ex)
        {
            LogUnexpected(ex, recorder.Id, step);
            var error = $"Unexpected error during {step}: {ex.Message}";
            recorder.Failed(step, error);
            return recorder.Finish(ActionStatus.Failed, time.GetUtcNow(), error);
        }
        finally
        {
            _running.TryRemove((definition.Kind, target), out _);
        }
    }

    // The gate: the confirmed plan is sealed into a pending request; nothing is applied until another person approves it.
    private async Task<ActionOutcome> RequestApprovalAsync(ActionPlan plan, ActionRecorder recorder, CancellationToken ct)
    {
        if (approvals is null)
        {
            const string none = "This action needs an incident commander's approval, and this dashboard has no approval store. Nothing was changed.";
            recorder.Failed(ActionStep.Apply, none);
            return recorder.Finish(ActionStatus.Refused, time.GetUtcNow(), none);
        }

        var requester = recorder.Snapshot(Now).Actor;
        var (request, created) = await approvals.CreateAsync(plan, requester, TimeSpan.FromMinutes(options.Value.Approvals.ExpiryMinutes), ct);
        recorder.ApprovalId = request.Id;
        if (!created)
        {
            var pending = $"A {plan.Definition.Slug} of {plan.Target} already awaits approval (request {request.Id:D} by {request.RequestedBy.Name}, expires {request.ExpiresAt:u}); approve, reject or cancel that one first. This request did nothing.";
            recorder.Failed(ActionStep.Apply, pending);
            return recorder.Finish(ActionStatus.AlreadyRunning, time.GetUtcNow(), pending);
        }

        recorder.Failed(ActionStep.Apply, $"awaiting the approval of an incident commander other than {requester.Name} (request {request.Id:D}, expires {request.ExpiresAt:u}); nothing applied yet");
        return recorder.Finish(ActionStatus.AwaitingApproval, time.GetUtcNow(), $"Request {request.Id:D} awaits an incident commander's approval until {request.ExpiresAt:u}.");
    }

    /// <summary>
    /// Plans <paramref name="request"/>'s action again against the cluster as it is now, from the confirmed precondition:
    /// null when it is still the same plan (the same objects, by identity), otherwise why not ("changed since the request").
    /// </summary>
    internal async Task<(ActionPlan? Plan, string? Changed)> ReplanAsync(ApprovalRequest request, CancellationToken ct)
    {
        var sealedPlan = request.Plan;
        var handler = HandlerFor(request.Kind);
        if (Invalid(request.Target) is { } invalid)
        {
            return (null, invalid.Error);
        }

        try
        {
            var now = await handler.PlanAsync(request.Target, sealedPlan.Request, sealedPlan.Precondition, ct);
            var gone = sealedPlan.Touches.Except(now.Touches).ToList();
            return gone.Count == 0
                ? (now, null)
                : (null, $"{string.Join("; ", gone)} is no longer so (now: {string.Join("; ", now.Touches.Except(sealedPlan.Touches))})");
        }
        catch (ActionException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>
    /// Runs an approved request's action: the requester's action, approved by <paramref name="approver"/>, applying
    /// <paramref name="plan"/> (the plan made again at approval, which touches exactly the objects the sealed plan did).
    /// The approval itself was checked by the caller (<see cref="ApprovalService"/>). Audited like any other attempt.
    /// </summary>
    internal async Task<ActionOutcome> RunApprovedAsync(ApprovalRequest request, ActionPlan plan, Actor approver, Guid actionId, CancellationToken cancellationToken)
    {
        var handler = HandlerFor(request.Kind);
        var recorder = new ActionRecorder(actionId, request.Kind, request.Target, request.RequestedBy, time.GetUtcNow())
        {
            ApprovedBy = approver,
            ApprovalId = request.Id,
        };
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Stopping);
        ActionOutcome outcome;
        Notify(o => o.ActionStarted(new ActionStart(actionId, request.Kind, request.Target, request.RequestedBy, plan.Request, time.GetUtcNow())));
        recorder.Done(ActionStep.Authorise, $"requested by {request.RequestedBy} at {request.RequestedAt:u}; approved by {approver}");
        if (!_running.TryAdd((request.Kind, request.Target), recorder.Id))
        {
            var busy = $"A {handler.Definition.Slug} of {request.Target} is already running; the approved request did nothing.";
            recorder.Failed(ActionStep.Validate, busy);
            outcome = recorder.Finish(ActionStatus.AlreadyRunning, time.GetUtcNow(), busy);
        }
        else
        {
            try
            {
                recorder.Done(ActionStep.Validate, $"approval {request.Id:D} pending until {request.ExpiresAt:u}; values: {plan.Request}");
                recorder.UsePlan(plan);
                recorder.Done(ActionStep.Preview, $"planned again at approval from {plan.Precondition}: the same objects as the request ({plan.Changes.Count} change(s))");
                outcome = await ApplyAndVerifyAsync(handler, plan, recorder, new Reporter(this, recorder, null), stopping.Token);
            }
            finally
            {
                _running.TryRemove((request.Kind, request.Target), out _);
            }
        }

        await AuditAsync(outcome);
        Publish(outcome, progress: null);
        Notify(o => o.ActionFinished(outcome));
        LogOutcome(outcome.Id, handler.Definition.Slug, request.Target, request.RequestedBy.Name, request.RequestedBy.Role, outcome.Status, outcome.Summary);
        return outcome;
    }

    public async Task<ActionOutcome> VerifyAgainAsync(ClaimsPrincipal user, Guid actionId, IProgress<ActionProgress>? progress, CancellationToken cancellationToken)
    {
        var entry = await audit.FindAsync(actionId, cancellationToken);
        var definition = entry is null ? null : ActionCatalog.FindBySlug(entry.Action);
        var kind = definition?.Kind ?? ActionKind.Restart;
        var target = entry is null ? new AgentRef("", "") : new AgentRef(entry.Namespace, entry.Agent);
        var actor = ActorOf(user);
        var recorder = new ActionRecorder(Guid.NewGuid(), kind, target, actor, time.GetUtcNow());
        var outcome = await VerifyAgainCoreAsync(user, actionId, entry, definition, recorder, progress, cancellationToken);
        if (entry is not null && definition is not null)
        {
            // A record of its own (the original stays as it was), for every attempt that named a real action.
            await AuditAsync(outcome);
            Publish(outcome, progress: null);
        }

        LogOutcome(outcome.Id, "verify-again", target, actor.Name, actor.Role, outcome.Status, outcome.Summary);
        return outcome;
    }

    private async Task<ActionOutcome> VerifyAgainCoreAsync(ClaimsPrincipal user, Guid actionId, AuditEntry? entry, ActionDefinition? definition,
        ActionRecorder recorder, IProgress<ActionProgress>? progress, CancellationToken cancellationToken)
    {
        if (entry is null || definition is null)
        {
            var missing = $"There is no recorded action {actionId:D} to verify again.";
            recorder.Failed(ActionStep.Validate, missing);
            return recorder.Finish(ActionStatus.NotFound, Now, missing);
        }

        var handler = HandlerFor(definition.Kind);
        if (await RefusalAsync(user, definition) is { } refusal)
        {
            recorder.Failed(ActionStep.Authorise, refusal + " (verify again)");
            return recorder.Finish(ActionStatus.Refused, Now, refusal);
        }

        recorder.Done(ActionStep.Authorise, $"{ActorOf(user)} satisfies {definition.RequiredPolicy}");
        if (entry.Status is not (nameof(ActionStatus.Interrupted) or nameof(ActionStatus.Unverified)))
        {
            var final = $"Action {actionId:D} ({definition.Slug} of {recorder.Snapshot(Now).Target}) ended {entry.Status}; only an Interrupted or Unverified action is verified again.";
            recorder.Failed(ActionStep.Validate, final);
            return recorder.Finish(ActionStatus.Invalid, Now, final);
        }

        if (entry.Applied is not { } applied)
        {
            var done = entry.PlanSteps.Where(s => s.State == PlanStepState.Done).Select(s => s.ToString()).ToList();
            var unapplied = $"Action {actionId:D} ({definition.Slug}) stopped before its change was fully applied, so there is nothing to verify: " +
                (done.Count == 0 ? "no step was done." : $"done: {string.Join("; ", done)}.") + " Check the cluster and run the action again if needed.";
            recorder.Failed(ActionStep.Validate, unapplied);
            return recorder.Finish(ActionStatus.Invalid, Now, unapplied);
        }

        if (!_running.TryAdd((definition.Kind, applied.Plan.Target), recorder.Id))
        {
            var busy = $"A {definition.Slug} of {applied.Plan.Target} is running now; verify again once it ends. Nothing was done.";
            recorder.Failed(ActionStep.Validate, busy);
            return recorder.Finish(ActionStatus.AlreadyRunning, Now, busy);
        }

        try
        {
            recorder.Done(ActionStep.Validate, $"verify again of action {actionId:D} ({entry.Status}, by {entry.User}); applied at resourceVersion {applied.ResourceVersion}, generation {applied.Generation}");
            recorder.Applied = applied;
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Stopping);
            var report = new Reporter(this, recorder, progress);
            report.Report(new ActionProgress(ActionStep.Verify, $"Verifying action {actionId:D} again"));
            var verification = await handler.VerifyAsync(applied, report, VerifyTimeout, stopping.Token);
            recorder.Verification = verification;
            if (verification.Verified)
            {
                recorder.Done(ActionStep.Verify, verification.Detail);
                return recorder.Finish(ActionStatus.Verified, Now);
            }

            recorder.Failed(ActionStep.Verify, verification.Detail);
            return recorder.Finish(ActionStatus.Unverified, Now, verification.Detail);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || Stopping.IsCancellationRequested)
        {
            const string cancelled = "Verification cancelled; nothing was changed.";
            recorder.Failed(ActionStep.Verify, cancelled);
            return recorder.Finish(ActionStatus.Unverified, Now, cancelled);
        }
        catch (ActionException ex)
        {
            recorder.Failed(ActionStep.Verify, ex.Message);
            return recorder.Finish(ActionStatus.Unverified, Now, ex.Message);
        }
        finally
        {
            _running.TryRemove((definition.Kind, applied.Plan.Target), out _);
        }
    }

    private static string? NotConfirmed(ActionDefinition definition, AgentRef target, Confirmation confirmed)
    {
        if (!definition.RequiresTypedConfirmation)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(confirmed.TypedName))
        {
            return $"A {definition.Slug} must be confirmed by typing the agent's name: send \"confirmName\": \"{target.Name}\".";
        }

        return definition.IsConfirmedBy(target, confirmed.TypedName)
            ? null
            : $"The typed name '{confirmed.TypedName.Trim()}' is not the agent's name '{target.Name}': a {definition.Slug} is confirmed only by typing exactly the name of the agent it changes.";
    }

    private string? BreakGlassRefusal(ClaimsPrincipal user, ActionDefinition definition, string reason)
    {
        if (!definition.RequiresApproval)
        {
            return $"A {definition.Slug} needs no approval, so there is no glass to break; confirm it without breakGlassReason.";
        }

        if (!options.Value.Approvals.BreakGlass)
        {
            return "Break-glass is off (Kosmos:Approvals:BreakGlass is false): this action needs the approval of a second incident commander.";
        }

        if (!user.IsInRole(KosmosRoles.IncidentCommander))
        {
            return $"{ActorOf(user)} may not break glass: only an incident commander may run a {definition.Slug} without approval.";
        }

        return string.IsNullOrWhiteSpace(reason) ? "Break-glass needs a written reason (breakGlassReason)." : null;
    }

    /// <summary>
    /// Apply and verify a plan that passed every check: the audit record (Running, with the plan) is written before the first
    /// change and after every step, so a dashboard killed at any point leaves a record that says how far it got.
    /// </summary>
    private async Task<ActionOutcome> ApplyAndVerifyAsync(IActionHandler handler, ActionPlan plan, ActionRecorder recorder, Reporter report,
        CancellationToken ct)
    {
        var target = plan.Target;
        var step = ActionStep.Apply;
        try
        {
            // No record, no change: if the audit cannot be written, nothing is sent.
            await audit.WriteAsync(recorder.Snapshot(time.GetUtcNow()), CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogAuditFailed(ex, recorder.Id, ActionStatus.Running, "before apply");
            var error = $"The audit record could not be written before applying ({ex.Message}), so nothing was applied. Nothing was changed.";
            recorder.Failed(step, error);
            return recorder.Finish(ActionStatus.Failed, time.GetUtcNow(), error);
        }

        try
        {
            report.Report(new ActionProgress(step, $"Applying: {plan.KubectlEquivalent}"));
            var applied = await handler.ApplyAsync(plan, new Journal(this, recorder, report), ct);
            recorder.Applied = applied;
            recorder.Done(step, $"{string.Join("; ", plan.EffectiveSteps)}: resourceVersion {applied.ResourceVersion}, generation {applied.Generation}");
            await AuditAsync(recorder.Snapshot(time.GetUtcNow()));
            await RecordEventAsync(plan, recorder);

            step = ActionStep.Verify;
            report.Report(new ActionProgress(step, "Applied; waiting for the change to take effect"));
            var verification = await handler.VerifyAsync(applied, report, VerifyTimeout, ct);
            recorder.Verification = verification;
            if (verification.Verified)
            {
                recorder.Done(step, verification.Detail);
                return recorder.Finish(ActionStatus.Verified, time.GetUtcNow());
            }

            recorder.Failed(step, verification.Detail);
            return recorder.Finish(ActionStatus.Unverified, time.GetUtcNow(), verification.Detail);
        }
        catch (ActionException ex)
        {
            recorder.Failed(step, ex.Message);
            var error = Partial(recorder, ex.Message);
            if (ex.Artifact is { } kept)
            {
                // A safety export taken before the step that failed: kept with the record, as on success.
                recorder.Verification = new VerificationResult(false, $"{error} The safety export {kept.Id:D} taken before is kept.", 0, 0, TimeSpan.Zero) { Artifact = kept };
            }

            return recorder.Finish(recorder.Applied is null && !recorder.AnyPlanStepDone ? StatusOf(ex.Failure) : ActionStatus.Unverified,
                time.GetUtcNow(), error);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            if (Stopping.IsCancellationRequested)
            {
                var stopped = $"The dashboard shut down during {step}: {Partial(recorder, "")}".TrimEnd(' ', ':') + ". Verify it again after the restart.";
                recorder.Failed(step, stopped);
                return recorder.Finish(ActionStatus.Interrupted, time.GetUtcNow(), stopped);
            }

            var error = recorder.Applied is null && !recorder.AnyPlanStepDone
                ? "Cancelled before the change was applied."
                : "Verification was cancelled (the person left); the change was applied and stays.";
            recorder.Failed(step, error);
            return recorder.Finish(recorder.Applied is null && !recorder.AnyPlanStepDone ? ActionStatus.Failed : ActionStatus.Unverified, time.GetUtcNow(), error);
        }
        catch (Exception ex)
        {
            LogUnexpected(ex, recorder.Id, step);
            var error = Partial(recorder, $"Unexpected error during {step}: {ex.Message}");
            recorder.Failed(step, error);
            return recorder.Finish(recorder.Applied is null && !recorder.AnyPlanStepDone ? ActionStatus.Failed : ActionStatus.Unverified, time.GetUtcNow(), error);
        }
    }

    // For a multi-step plan that stopped part-way: which steps were done and which not, after the error.
    private static string Partial(ActionRecorder recorder, string error)
    {
        var steps = recorder.Snapshot(DateTimeOffset.UtcNow).PlanSteps;
        if (steps.Count <= 1)
        {
            return error;
        }

        var done = steps.Where(s => s.State == PlanStepState.Done).Select(s => $"{s.Index + 1}. {s.Description}").ToList();
        var notDone = steps.Where(s => s.State != PlanStepState.Done).Select(s => $"{s.Index + 1}. {s.Description}").ToList();
        return $"{error} Done: {(done.Count == 0 ? "nothing" : string.Join("; ", done))}. Not done: {(notDone.Count == 0 ? "nothing" : string.Join("; ", notDone))}.";
    }

    private async Task RecordEventAsync(ActionPlan plan, ActionRecorder recorder)
    {
        if (events is null)
        {
            return;
        }

        var outcome = recorder.Snapshot(time.GetUtcNow());
        var message = $"{plan.Definition.Title} requested by {outcome.Actor}" +
            (recorder.ApprovedBy is { } approver ? $", approved by {approver}" : "") +
            (recorder.BreakGlassReason is { } reason ? $", BREAK-GLASS without approval: {reason}" : "") +
            $" (kosmos-dashboard action {recorder.Id:D}): {plan.EventCommand}";
        try
        {
            await events.RecordAsync(plan.Target, message, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogEventFailed(ex, recorder.Id);
        }
    }

    private void Publish(ActionOutcome outcome, ActionProgress? progress) => activity?.Publish(new ActionActivity(
        outcome.Id, outcome.Kind, outcome.Target, outcome.Actor, outcome.ApprovedBy, outcome.StartedAt, outcome.Status, progress,
        outcome.Status == ActionStatus.Running ? null : outcome));

    /// <summary>Forwards progress to the caller and to every viewer (the activity stream), on the executor's thread.</summary>
    private sealed class Reporter(ActionExecutor executor, ActionRecorder recorder, IProgress<ActionProgress>? inner) : IProgress<ActionProgress>
    {
        public void Report(ActionProgress value)
        {
            inner?.Report(value);
            executor.Publish(recorder.Snapshot(executor.Now), value);
        }
    }

    /// <summary>Persists each plan step before its change is sent and after it is done.</summary>
    private sealed class Journal(ActionExecutor executor, ActionRecorder recorder, Reporter report) : IStepJournal
    {
        public async Task StartingAsync(int index, CancellationToken cancellationToken)
        {
            recorder.PlanStep(index, PlanStepState.Running, "started");
            await executor.PersistAsync(recorder);
            var steps = recorder.Plan?.EffectiveSteps ?? [];
            if (steps.Count > 1 && index < steps.Count)
            {
                report.Report(new ActionProgress(ActionStep.Apply, $"Step {index + 1}/{steps.Count}: {steps[index]}"));
            }
        }

        public async Task DoneAsync(int index, string detail, CancellationToken cancellationToken)
        {
            recorder.PlanStep(index, PlanStepState.Done, detail);
            await executor.PersistAsync(recorder);
        }
    }

    /// <summary>
    /// Why <paramref name="confirmed"/> is not a preview this executor handed out for these values, or null when it is. An
    /// action without values may be confirmed by its precondition alone (the resourceVersion guard covers it).
    /// </summary>
    private string? NotThePreview(ActionDefinition definition, AgentRef target, Confirmation confirmed)
    {
        if (!definition.TakesValues && confirmed.Request.IsEmpty && confirmed.Fingerprint is null)
        {
            return null;
        }

        var expected = Fingerprint(definition.Kind, target, confirmed.Precondition, confirmed.Request);
        if (confirmed.Fingerprint is null)
        {
            return $"A {definition.Slug} must be confirmed with the fingerprint of its preview; preview the values first. Nothing was changed.";
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(confirmed.Fingerprint))
            ? null
            : $"The values to apply ({confirmed.Request}) are not the ones previewed at {confirmed.Precondition} (the fingerprint does not match, or the preview is from before the dashboard restarted). Nothing was changed; preview these values and confirm that preview.";
    }

    // An HMAC with a key only this process knows: a fingerprint can only come from one of its previews.
    private string Fingerprint(ActionKind kind, AgentRef target, Precondition precondition, ActionRequest request)
    {
        var text = JsonSerializer.Serialize(new object[]
        {
            kind.ToString(), target.Namespace, target.Name, precondition.ResourceVersion, precondition.Generation?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            request.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new[] { v.Key, v.Value }).ToArray(),
        });
        return Base64Url.EncodeToString(HMACSHA256.HashData(_fingerprintKey, Encoding.UTF8.GetBytes(text)));
    }

    private TimeSpan VerifyTimeout => TimeSpan.FromSeconds(options.Value.Actions.VerifyTimeoutSeconds);

    private IActionHandler HandlerFor(ActionKind kind) =>
        _handlers.GetValueOrDefault(kind) ?? throw new InvalidOperationException($"no handler registered for action {kind}");

    private async Task<string?> RefusalAsync(ClaimsPrincipal user, ActionDefinition definition)
    {
        var result = await authorization.AuthorizeAsync(user, definition.RequiredPolicy);
        if (result.Succeeded)
        {
            return null;
        }

        // A role that would do, in a session that has ended (a circuit left open after signing out): say so, not "needs a role".
        if (result.Failure?.FailureReasons.FirstOrDefault(r => r.Handler is LiveSessionRequirementHandler) is { } ended)
        {
            return ended.Message;
        }

        var who = user.Identity?.IsAuthenticated == true ? ActorOf(user).ToString() : "An anonymous user (not signed in)";
        return $"{who} may not {definition.AgentsVerb} agents: that needs the {KosmosRoles.Operator} role or higher.";
    }

    private ActionValidation Rules(IActionHandler handler, AgentRef target, ActionRequest request) =>
        board.GetDetail(target.Namespace, target.Name) is { } detail
            ? handler.Validate(request, detail)
            : ActionValidation.Fail($"There is no agent {target} on the board.");

    private (ActionStatus Status, string Error)? Invalid(AgentRef target)
    {
        var detail = board.GetDetail(target.Namespace, target.Name);
        if (detail is null)
        {
            return (ActionStatus.NotFound, $"There is no agent {target} on the board (no Deployment or pods labelled app={target.Name} in a watched namespace).");
        }

        return detail.Deployment is null
            ? (ActionStatus.Invalid, $"Agent {target} has no Deployment (only bare pods), so there is nothing to roll out.")
            : null;
    }

    private async Task AuditAsync(ActionOutcome outcome)
    {
        try
        {
            // Not cancellable on purpose: whatever happened to the caller, the attempt is recorded.
            await audit.WriteAsync(outcome, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogAuditFailed(ex, outcome.Id, outcome.Status, outcome.Summary);
        }
    }

    // Observers (incident timelines, the live audit page) only queue work; one that throws never changes the action.
    private void Notify(Action<IActionObserver> notify)
    {
        foreach (var observer in observers)
        {
            try
            {
                notify(observer);
            }
            catch (Exception ex)
            {
                LogObserverFailed(ex, observer.GetType().Name);
            }
        }
    }

    internal static Actor ActorOf(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? new Actor(name, KosmosRoles.All.LastOrDefault(user.IsInRole) ?? "none", StableIdOf(user, name))
            : Actor.Anonymous;

    // An issuer's subject is the person; its display name may change or be shared. The demo sign-in has only the name.
    private static string StableIdOf(ClaimsPrincipal user, string name) =>
        user.FindFirst("sub")?.Value is { Length: > 0 } sub && user.FindFirst("iss")?.Value is { Length: > 0 } iss
            ? $"oidc:{iss}|{sub}"
            : "demo:" + name.Trim().ToLowerInvariant();

    private static ActionStatus StatusOf(ActionFailure failure) => failure switch
    {
        ActionFailure.NotFound => ActionStatus.NotFound,
        ActionFailure.Conflict => ActionStatus.Conflict,
        ActionFailure.Invalid => ActionStatus.Invalid,
        _ => ActionStatus.Failed,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId} {Action} of {Agent} by {User} ({Role}): {Status} — {Summary}")]
    private partial void LogOutcome(Guid actionId, string action, AgentRef agent, string user, string role, ActionStatus status, string summary);

    [LoggerMessage(Level = LogLevel.Error, Message = "Action {ActionId} failed unexpectedly during {Step}")]
    private partial void LogUnexpected(Exception ex, Guid actionId, ActionStep step);

    [LoggerMessage(Level = LogLevel.Error, Message = "Action observer {Observer} failed")]
    private partial void LogObserverFailed(Exception ex, string observer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the Kubernetes Event of action {ActionId}")]
    private partial void LogEventFailed(Exception ex, Guid actionId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not write the audit record of action {ActionId} ({Status}: {Summary})")]
    private partial void LogAuditFailed(Exception ex, Guid actionId, ActionStatus status, string summary);
}
