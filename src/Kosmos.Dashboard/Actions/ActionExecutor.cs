using System.Collections.Concurrent;
using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
    ILogger<ActionExecutor> logger,
    IEnumerable<IActionObserver> observers) : IActionExecutor
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
        Notify(o => o.ActionStarted(new ActionStart(recorder.Id, kind, target, actor, confirmed.Request, time.GetUtcNow())));
        var outcome = await RunAsync(user, handler, target, confirmed, recorder, progress, cancellationToken);
        await AuditAsync(outcome);
        Notify(o => o.ActionFinished(outcome));
        LogOutcome(outcome.Id, handler.Definition.Slug, target.ToString(), actor.Name, actor.Role, outcome.Status, outcome.Summary);
        return outcome;
    }

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

        if (!_running.TryAdd((definition.Kind, target), recorder.Id))
        {
            var busy = $"A {definition.Slug} of {target} is already running; this request did nothing.";
            recorder.Failed(ActionStep.Validate, busy);
            return recorder.Finish(ActionStatus.AlreadyRunning, time.GetUtcNow(), busy);
        }

        recorder.Done(ActionStep.Validate, $"deployment {target} exists; no other {definition.Slug} of it running{values}");
        var step = ActionStep.Preview;
        AppliedAction? applied = null;
        try
        {
            progress?.Report(new ActionProgress(step, "Checking the preview against the cluster (server dry run)"));
            var plan = await handler.PlanAsync(target, confirmed.Request, confirmed.Precondition, ct);
            recorder.Plan = plan;
            recorder.Done(step, $"dry run from {plan.Precondition}: {plan.Changes.Count} field(s) change" +
                (plan.Warnings.Count > 0 ? "; confirmed despite: " + string.Join(" ", plan.Warnings) : ""));

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
        if ((await authorization.AuthorizeAsync(user, definition.RequiredPolicy)).Succeeded)
        {
            return null;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Action observer {Observer} failed")]
    private partial void LogObserverFailed(Exception ex, string observer);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not write the audit record of action {ActionId} ({Status}: {Summary})")]
    private partial void LogAuditFailed(Exception ex, Guid actionId, ActionStatus status, string summary);
}
