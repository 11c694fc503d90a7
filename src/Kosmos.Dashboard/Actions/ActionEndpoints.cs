using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Infrastructure;
using Kosmos.Dashboard.Approvals;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
using Microsoft.Extensions.Options;

namespace Kosmos.Dashboard.Actions;

/// <summary>
/// The executor over HTTP for non-browser clients:
/// <c>POST /api/agents/{ns}/{name}/actions/{action}/preview</c> (with the values as an <see cref="ActionBody"/>, for set
/// resources) → 200 <see cref="ActionPreviewMessage"/>, and <c>POST /api/agents/{ns}/{name}/actions/{action}</c> with the
/// preview's precondition (<c>{"resourceVersion": "...", "fingerprint": "..."}</c>) and the same values → 200
/// <see cref="ActionOutcomeMessage"/> once verified or not. Errors are ProblemDetails: 401 not signed in, 400 without
/// the <see cref="CsrfHeader"/> header, 403 role too low, 404 no such agent or action, 409 changed since the preview or
/// already running, 422 invalid request, 502 the cluster failed; 403 for everyone in read-only mode (Kosmos:ReadOnly); 413
/// for a body over <see cref="MaxBodyBytes"/>, 415 for one that is not JSON, 400 naming the field of malformed JSON.
/// </summary>
/// <remarks>
/// The session cookie is SameSite=Strict, and every call must carry the custom <see cref="CsrfHeader"/> header: a cross-site
/// form cannot set one, and a cross-site script cannot send one without a CORS preflight this app never grants.
/// </remarks>
public static class ActionEndpoints
{
    public const string CsrfHeader = "X-Kosmos-Action";

    /// <summary>The largest action request body: a precondition and a few values fit in well under a kilobyte.</summary>
    public const long MaxBodyBytes = 16 * 1024;

    public static void MapActionEndpoints(this IEndpointRouteBuilder app)
    {
        var actions = app.MapGroup("/api/agents/{ns}/{name}/actions/{action}")
            .RequireAuthorization()
            .AddEndpointFilter(RefuseWhenReadOnly)
            .AddEndpointFilter(RequireCsrfHeader)
            .DisableAntiforgery();
        actions.MapPost("/preview", PreviewAsync);
        actions.MapPost("", ExecuteAsync);

        // Verify-again of an Interrupted (or Unverified) action: its verification only, audited as an attempt of its own.
        app.MapPost("/api/actions/{id}/verify-again", VerifyAgainAsync)
            .RequireAuthorization()
            .AddEndpointFilter(RefuseWhenReadOnly)
            .AddEndpointFilter(RequireCsrfHeader)
            .DisableAntiforgery();

        app.MapApprovalEndpoints();

        app.MapGet("/api/audit", async (IAuditLog audit, int? count, CancellationToken ct) => Results.Ok(await audit.RecentAsync(count ?? 50, ct)))
            .RequireAuthorization(KosmosPolicies.View);

        // Conversations may hold anything users told an agent: their content is for those who may operate agents; that an
        // export exists (size, checksum, who, when) is audit information a Viewer may see.
        app.MapGet("/api/agents/{ns}/{name}/exports", async (string ns, string name, IStateExports exports, int? count, CancellationToken ct) =>
                Results.Ok((await exports.ListAsync(new AgentRef(ns, name), count ?? 50, ct)).Select(StateExportMessage.From)))
            .RequireAuthorization() // signed in, also in the local demo, as every /api/agents/ endpoint
            .RequireAuthorization(KosmosPolicies.View);
        app.MapGet("/api/exports/{id}", DownloadExportAsync).RequireAuthorization(KosmosPolicies.Operate);
    }

    private static async Task<IResult> DownloadExportAsync(string id, IStateExports exports, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var key) || await exports.GetAsync(key, ct) is not { } export)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such export", detail: $"There is no export '{id}'.");
        }

        var stamp = export.Info.CreatedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return Results.File(export.Content, "application/json", $"{export.Info.Agent.Name}-state-{stamp}.json");
    }

    private static async Task<IResult> PreviewAsync(string ns, string name, string action, HttpContext http,
        IActionExecutor executor, IEnumerable<IActionHandler> handlers, CancellationToken ct)
    {
        if (Offered(action, handlers) is not { } definition)
        {
            return UnknownAction(action, handlers);
        }

        var (body, bad) = await ReadBodyAsync(http, definition, ct);
        if (bad is not null)
        {
            return bad;
        }

        var result = await executor.PreviewAsync(http.User, definition.Kind, new AgentRef(ns, name), body?.ToRequest(definition.Kind) ?? ActionRequest.None, ct);
        return result.Plan is { } plan
            ? Results.Ok(ActionPreviewMessage.From(plan))
            : Problem(result.Status ?? ActionStatus.Failed, result.Error ?? "no preview", null);
    }

    private static async Task<IResult> ExecuteAsync(string ns, string name, string action, HttpContext http,
        IActionExecutor executor, IEnumerable<IActionHandler> handlers,
        Kosmos.Recovery.Approvals.IApprovals approvals, CancellationToken ct)
    {
        if (Offered(action, handlers) is not { } definition)
        {
            return UnknownAction(action, handlers);
        }

        var (body, bad) = await ReadBodyAsync(http, definition, ct);
        if (bad is not null)
        {
            return bad;
        }

        if (string.IsNullOrWhiteSpace(body?.ResourceVersion))
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Precondition missing",
                detail: definition.TakesValues
                    ? $"The body must carry the preview's precondition and the same values, {{\"resourceVersion\": \"...\", \"generation\": ..., \"fingerprint\": \"...\", ...the values}}: POST .../actions/{definition.Slug}/preview first."
                    : $"The body must carry the preview's precondition, {{\"resourceVersion\": \"...\"}}: POST .../actions/{definition.Slug}/preview first.");
        }

        var outcome = await executor.ExecuteAsync(http.User, definition.Kind, new AgentRef(ns, name), body.ToConfirmation(definition.Kind), progress: null, ct);
        if (outcome.Status == ActionStatus.AwaitingApproval && outcome.ApprovalId is { } approvalId)
        {
            var pending = await approvals.FindAsync(approvalId, ct);
            return Results.Json(new AwaitingApprovalMessage(approvalId, outcome.Status.ToString(), pending?.ExpiresAt ?? outcome.FinishedAt),
                statusCode: StatusCodes.Status202Accepted);
        }

        var message = ActionOutcomeMessage.From(outcome);
        // Already running or requested: which one (a pending request's id and requester) is in the error, not the summary.
        return outcome.Status is ActionStatus.Verified or ActionStatus.Unverified
            ? Results.Ok(message)
            : Problem(outcome.Status, outcome.Status == ActionStatus.AlreadyRunning ? outcome.Error ?? outcome.Summary : outcome.Summary, message);
    }

    private static async Task<IResult> VerifyAgainAsync(string id, HttpContext http, IVerifyAgain verifier, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var actionId))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such action",
                detail: $"'{ApiProblems.Excerpt(id)}' is not an action id (a GUID from the audit, GET /api/audit).");
        }

        var outcome = await verifier.VerifyAgainAsync(http.User, actionId, progress: null, ct);
        var message = ActionOutcomeMessage.From(outcome);
        // The refusal itself: a verify-again that did not run changed nothing, and its summary would name the action, not why.
        return outcome.Status is ActionStatus.Verified or ActionStatus.Unverified
            ? Results.Ok(message)
            : Problem(outcome.Status, outcome.Error ?? outcome.Summary, message);
    }

    /// <summary>
    /// The body of an action request: at most <see cref="MaxBodyBytes"/>, except import-state, whose state document may be
    /// up to <c>Kosmos:Actions:MaxStateBytes</c> (the body that carries it that plus <see cref="StateBodyOverheadBytes"/>).
    /// A larger document is 413, before anything else looks at it.
    /// </summary>
    private static async Task<(ActionBody? Body, IResult? Problem)> ReadBodyAsync(HttpContext http, ActionDefinition definition, CancellationToken ct)
    {
        if (definition.Kind != ActionKind.ImportState)
        {
            return await ApiProblems.ReadJsonAsync<ActionBody>(http, MaxBodyBytes, ct);
        }

        var maxState = http.RequestServices.GetRequiredService<IOptions<KosmosOptions>>().Value.Actions.MaxStateBytes;
        var (body, bad) = await ApiProblems.ReadJsonAsync<ActionBody>(http, maxState + StateBodyOverheadBytes, ct);
        if (bad is null && body?.StateText is { } state && System.Text.Encoding.UTF8.GetByteCount(state) is var size && size > maxState)
        {
            return (null, ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "State document too large",
                StateDocument.Check(System.Text.Encoding.UTF8.GetBytes(state), definition.Slug, maxState).Error ?? $"The state document is {size} bytes, more than {maxState}.",
                new Dictionary<string, object?> { ["actionStatus"] = nameof(ActionStatus.Invalid) }));
        }

        return (body, bad);
    }

    /// <summary>What an import-state body may carry beyond the document itself: the precondition, fingerprint and typed name.</summary>
    public const long StateBodyOverheadBytes = 64 * 1024;

    // Before anything else, whoever asks: the reason is the configuration, not the caller's role.
    private static async ValueTask<object?> RefuseWhenReadOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.RequestServices.GetRequiredService<IOptions<KosmosOptions>>().Value.ReadOnly)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "Read-only", ReadOnlyRequirement.Reason,
                new Dictionary<string, object?> { ["actionStatus"] = nameof(ActionStatus.Refused) });
        }

        return await next(context);
    }

    /// <summary>The endpoint filter every mutating endpoint uses: refuses a request without the <see cref="CsrfHeader"/> header.</summary>
    public static async ValueTask<object?> RequireCsrfHeader(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (string.IsNullOrWhiteSpace(context.HttpContext.Request.Headers[CsrfHeader]))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing request header",
                detail: $"Action requests must carry the header {CsrfHeader} (any value); it protects signed-in users against cross-site request forgery.");
        }

        return await next(context);
    }

    /// <summary>
    /// The action named by the slug when this dashboard runs it: an action in the catalog whose handler is not registered
    /// (import-state until two-person approval exists) is not offered at all.
    /// </summary>
    private static ActionDefinition? Offered(string slug, IEnumerable<IActionHandler> handlers) =>
        ActionCatalog.FindBySlug(slug) is { } definition && handlers.Any(h => h.Definition.Kind == definition.Kind) ? definition : null;

    private static IResult UnknownAction(string action, IEnumerable<IActionHandler> handlers) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such action",
        detail: $"There is no action '{ApiProblems.Excerpt(action)}'. Actions: {string.Join(", ", ActionCatalog.All.Where(a => handlers.Any(h => h.Definition.Kind == a.Kind)).Select(a => a.Slug))}.");

    private static IResult Problem(ActionStatus status, string detail, ActionOutcomeMessage? outcome)
    {
        var (code, title) = status switch
        {
            ActionStatus.Refused => (StatusCodes.Status403Forbidden, "Not allowed"),
            ActionStatus.NotFound => (StatusCodes.Status404NotFound, "No such agent"),
            ActionStatus.Conflict => (StatusCodes.Status409Conflict, "Changed since the preview"),
            ActionStatus.AlreadyRunning => (StatusCodes.Status409Conflict, "Already running"),
            ActionStatus.Interrupted => (StatusCodes.Status503ServiceUnavailable, "The dashboard is shutting down"),
            ActionStatus.Invalid => (StatusCodes.Status422UnprocessableEntity, "Invalid action"),
            _ => (StatusCodes.Status502BadGateway, "The cluster failed the action"),
        };
        var extensions = new Dictionary<string, object?> { ["actionStatus"] = status.ToString() };
        if (outcome is not null)
        {
            extensions["outcome"] = outcome;
        }

        return Results.Problem(statusCode: code, title: title, detail: detail, extensions: extensions);
    }
}
