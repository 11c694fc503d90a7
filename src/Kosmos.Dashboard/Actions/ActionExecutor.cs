using System.Collections.Concurrent;
using System.Security.Claims;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
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
    ILogger<ActionExecutor> logger) : IActionExecutor
{
    private readonly IReadOnlyDictionary<ActionKind, IActionHandler> _handlers = handlers.ToDictionary(h => h.Definition.Kind);
    private readonly ConcurrentDictionary<(ActionKind, AgentRef), Guid> _running = new();

    public bool IsRunning(ActionKind kind, AgentRef target) => _running.ContainsKey((kind, target));

    public async Task<PreviewResult> PreviewAsync(ClaimsPrincipal user, ActionKind kind, AgentRef target, CancellationToken cancellationToken)
    {
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

        try
        {
            return PreviewResult.Ready(await handler.PlanAsync(target, expected: null, cancellationToken));
        }
        catch (ActionException ex)
        {
            return PreviewResult.Refused(StatusOf(ex.Failure), ex.Message);
        }
    }

    public async Task<ActionOutcome> ExecuteAsync(ClaimsPrincipal user, ActionKind kind, AgentRef target, Precondition confirmed,
        IProgress<ActionProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        var handler = HandlerFor(kind);
        var actor = ActorOf(user);
        var recorder = new ActionRecorder(Guid.NewGuid(), kind, target, actor, time.GetUtcNow());
        var outcome = await RunAsync(user, handler, target, confirmed, recorder, progress, cancellationToken);
        await AuditAsync(outcome);
        LogOutcome(outcome.Id, handler.Definition.Slug, target.ToString(), actor.Name, actor.Role, outcome.Status, outcome.Summary);
        return outcome;
    }

    private async Task<ActionOutcome> RunAsync(ClaimsPrincipal user, IActionHandler handler, AgentRef target, Precondition confirmed,
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

        if (!_running.TryAdd((definition.Kind, target), recorder.Id))
        {
            var busy = $"A {definition.Slug} of {target} is already running; this request did nothing.";
            recorder.Failed(ActionStep.Validate, busy);
            return recorder.Finish(ActionStatus.AlreadyRunning, time.GetUtcNow(), busy);
        }

        recorder.Done(ActionStep.Validate, $"deployment {target} exists; no other {definition.Slug} of it running");
        var step = ActionStep.Preview;
        AppliedAction? applied = null;
        try
        {
            progress?.Report(new ActionProgress(step, "Checking the preview against the cluster (server dry run)"));
            var plan = await handler.PlanAsync(target, confirmed, ct);
            recorder.Plan = plan;
            recorder.Done(step, $"dry run from {plan.Precondition}: {plan.Changes.Count} field(s) change");

            step = ActionStep.Apply;
            progress?.Report(new ActionProgress(step, $"Applying: {plan.KubectlEquivalent}"));
            applied = await handler.ApplyAsync(plan, ct);
            recorder.Done(step, $"patched deployment {target}: resourceVersion {applied.ResourceVersion}, generation {applied.Generation}");

            step = ActionStep.Verify;
            progress?.Report(new ActionProgress(step, "Applied; waiting for the rollout"));
            var verification = await handler.VerifyAsync(applied, progress, VerifyTimeout, ct);
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
            return recorder.Finish(applied is null ? StatusOf(ex.Failure) : ActionStatus.Unverified, time.GetUtcNow(), ex.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            var error = applied is null
                ? "Cancelled before the change was applied."
                : "Verification was cancelled (the person left); the change was applied and stays.";
            recorder.Failed(step, error);
            return recorder.Finish(applied is null ? ActionStatus.Failed : ActionStatus.Unverified, time.GetUtcNow(), error);
        }
        catch (Exception ex)
        {
            LogUnexpected(ex, recorder.Id, step);
            var error = $"Unexpected error during {step}: {ex.Message}";
            recorder.Failed(step, error);
            return recorder.Finish(applied is null ? ActionStatus.Failed : ActionStatus.Unverified, time.GetUtcNow(), error);
        }
        finally
        {
            _running.TryRemove((definition.Kind, target), out _);
        }
    }

    private TimeSpan VerifyTimeout => TimeSpan.FromSeconds(options.Value.Actions.VerifyTimeoutSeconds);

    private IActionHandler HandlerFor(ActionKind kind) =>
        _handlers.GetValueOrDefault(kind) ?? throw new InvalidOperationException($"no handler registered for action {kind}");

    private async Task<string?> RefusalAsync(ClaimsPrincipal user, ActionDefinition definition)
    {
        if ((await authorization.AuthorizeAsync(user, definition.RequiredPolicy)).Succeeded)
        {
            return null;
        }

        var who = user.Identity?.IsAuthenticated == true ? ActorOf(user).ToString() : "An anonymous user (not signed in)";
        return $"{who} may not {definition.Title.ToLowerInvariant()} agents: that needs the {KosmosRoles.Operator} role or higher.";
    }

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

    private static Actor ActorOf(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? new Actor(name, KosmosRoles.All.LastOrDefault(user.IsInRole) ?? "none")
            : Actor.Anonymous;

    private static ActionStatus StatusOf(ActionFailure failure) => failure switch
    {
        ActionFailure.NotFound => ActionStatus.NotFound,
        ActionFailure.Conflict => ActionStatus.Conflict,
        ActionFailure.Invalid => ActionStatus.Invalid,
        _ => ActionStatus.Failed,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId} {Action} of {Agent} by {User} ({Role}): {Status} — {Summary}")]
    private partial void LogOutcome(Guid actionId, string action, string agent, string user, string role, ActionStatus status, string summary);

    [LoggerMessage(Level = LogLevel.Error, Message = "Action {ActionId} failed unexpectedly during {Step}")]
    private partial void LogUnexpected(Exception ex, Guid actionId, ActionStep step);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not write the audit record of action {ActionId} ({Status}: {Summary})")]
    private partial void LogAuditFailed(Exception ex, Guid actionId, ActionStatus status, string summary);
}
