using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Mvc;

namespace Kosmos.Dashboard.Actions;

/// <summary>
/// The executor over HTTP for non-browser clients:
/// <c>POST /api/agents/{ns}/{name}/actions/{action}/preview</c> (with the values as an <see cref="ActionBody"/>, for set
/// resources) → 200 <see cref="ActionPreviewMessage"/>, and <c>POST /api/agents/{ns}/{name}/actions/{action}</c> with the
/// preview's precondition (<c>{"resourceVersion": "...", "fingerprint": "..."}</c>) and the same values → 200
/// <see cref="ActionOutcomeMessage"/> once verified or not. Errors are ProblemDetails: 401 not signed in, 400 without
/// the <see cref="CsrfHeader"/> header, 403 role too low, 404 no such agent or action, 409 changed since the preview or
/// already running, 422 invalid request, 502 the cluster failed.
/// </summary>
/// <remarks>
/// The session cookie is SameSite=Strict, and every call must carry the custom <see cref="CsrfHeader"/> header: a cross-site
/// form cannot set one, and a cross-site script cannot send one without a CORS preflight this app never grants.
/// </remarks>
public static class ActionEndpoints
{
    public const string CsrfHeader = "X-Kosmos-Action";

    public static void MapActionEndpoints(this IEndpointRouteBuilder app)
    {
        var actions = app.MapGroup("/api/agents/{ns}/{name}/actions/{action}")
            .RequireAuthorization()
            .AddEndpointFilter(RequireCsrfHeader)
            .DisableAntiforgery();
        actions.MapPost("/preview", PreviewAsync);
        actions.MapPost("", ExecuteAsync);

        app.MapGet("/api/audit", async (IAuditLog audit, int? count, CancellationToken ct) => Results.Ok(await audit.RecentAsync(count ?? 50, ct)))
            .RequireAuthorization(KosmosPolicies.View);
    }

    private static async Task<IResult> PreviewAsync(string ns, string name, string action, [FromBody] ActionBody? body, HttpContext http,
        IActionExecutor executor, CancellationToken ct)
    {
        if (ActionCatalog.FindBySlug(action) is not { } definition)
        {
            return UnknownAction(action);
        }

        var result = await executor.PreviewAsync(http.User, definition.Kind, new AgentRef(ns, name), body?.ToRequest(definition.Kind) ?? ActionRequest.None, ct);
        return result.Plan is { } plan
            ? Results.Ok(ActionPreviewMessage.From(plan))
            : Problem(result.Status ?? ActionStatus.Failed, result.Error ?? "no preview", null);
    }

    private static async Task<IResult> ExecuteAsync(string ns, string name, string action, [FromBody] ActionBody? body, HttpContext http,
        IActionExecutor executor, CancellationToken ct)
    {
        if (ActionCatalog.FindBySlug(action) is not { } definition)
        {
            return UnknownAction(action);
        }

        if (string.IsNullOrWhiteSpace(body?.ResourceVersion))
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Precondition missing",
                detail: definition.TakesValues
                    ? $"The body must carry the preview's precondition and the same values, {{\"resourceVersion\": \"...\", \"fingerprint\": \"...\", \"container\": ..., \"limits\": ..., \"requests\": ...}}: POST .../actions/{definition.Slug}/preview first."
                    : $"The body must carry the preview's precondition, {{\"resourceVersion\": \"...\"}}: POST .../actions/{definition.Slug}/preview first.");
        }

        var confirmation = new Confirmation(new Precondition(body.ResourceVersion, body.Generation), body.ToRequest(definition.Kind), body.Fingerprint);
        var outcome = await executor.ExecuteAsync(http.User, definition.Kind, new AgentRef(ns, name), confirmation, progress: null, ct);
        var message = ActionOutcomeMessage.From(outcome);
        return outcome.Status is ActionStatus.Verified or ActionStatus.Unverified
            ? Results.Ok(message)
            : Problem(outcome.Status, outcome.Summary, message);
    }

    private static async ValueTask<object?> RequireCsrfHeader(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (string.IsNullOrWhiteSpace(context.HttpContext.Request.Headers[CsrfHeader]))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing request header",
                detail: $"Action requests must carry the header {CsrfHeader} (any value); it protects signed-in users against cross-site request forgery.");
        }

        return await next(context);
    }

    private static IResult UnknownAction(string action) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such action",
        detail: $"There is no action '{action}'. Actions: {string.Join(", ", ActionCatalog.All.Select(a => a.Slug))}.");

    private static IResult Problem(ActionStatus status, string detail, ActionOutcomeMessage? outcome)
    {
        var (code, title) = status switch
        {
            ActionStatus.Refused => (StatusCodes.Status403Forbidden, "Not allowed"),
            ActionStatus.NotFound => (StatusCodes.Status404NotFound, "No such agent"),
            ActionStatus.Conflict => (StatusCodes.Status409Conflict, "Changed since the preview"),
            ActionStatus.AlreadyRunning => (StatusCodes.Status409Conflict, "Already running"),
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
