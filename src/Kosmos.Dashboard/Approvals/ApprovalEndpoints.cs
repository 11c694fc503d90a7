using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;

namespace Kosmos.Dashboard.Approvals;

/// <summary>
/// Approvals over HTTP: <c>GET /api/approvals?status=Pending</c>, <c>GET /api/approvals/{id}</c> (Viewer and above), and
/// <c>POST /api/approvals/{id}/approve</c>, <c>/reject</c> <c>{"reason"}</c>, <c>/cancel</c> (with the
/// <see cref="ActionEndpoints.CsrfHeader"/> header). Errors are ProblemDetails: 403 not allowed (role, or one's own
/// request), 404 no such request, 409 no longer pending or changed since the request (void), 422 a rejection without reason.
/// </summary>
public static class ApprovalEndpoints
{
    public static void MapApprovalEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/approvals").RequireAuthorization(KosmosPolicies.View);
        read.MapGet("", async (string? status, IApprovals approvals, IAuditLog audit, CancellationToken ct) =>
        {
            ApprovalStatus? filter = null;
            if (status is not null)
            {
                if (!Enum.TryParse<ApprovalStatus>(status, ignoreCase: true, out var parsed))
                {
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No such status",
                        detail: $"'{status}' is not an approval status; use one of {string.Join(", ", Enum.GetNames<ApprovalStatus>())}.");
                }

                filter = parsed;
            }

            var list = await approvals.ListAsync(filter, ct);
            var messages = new List<ApprovalMessage>();
            foreach (var request in list)
            {
                messages.Add(await ApprovalMessage.FromAsync(request, audit, ct));
            }

            return Results.Ok(messages);
        });
        read.MapGet("/{id:guid}", async (Guid id, IApprovals approvals, IAuditLog audit, CancellationToken ct) =>
            await approvals.FindAsync(id, ct) is { } request
                ? Results.Ok(await ApprovalMessage.FromAsync(request, audit, ct))
                : NotFound(id));

        var decide = app.MapGroup("/api/approvals/{id:guid}").RequireAuthorization().AddEndpointFilter(ActionEndpoints.RequireCsrfHeader).DisableAntiforgery();
        decide.MapPost("/approve", async (Guid id, HttpContext http, ApprovalService service, IAuditLog audit, CancellationToken ct) =>
            await ResultAsync(await service.ApproveAsync(http.User, id, ct), audit, ct));
        decide.MapPost("/reject", async (Guid id, RejectBody? body, HttpContext http, ApprovalService service, IAuditLog audit, CancellationToken ct) =>
            await ResultAsync(await service.RejectAsync(http.User, id, body?.Reason, ct), audit, ct));
        decide.MapPost("/cancel", async (Guid id, HttpContext http, ApprovalService service, IAuditLog audit, CancellationToken ct) =>
            await ResultAsync(await service.CancelAsync(http.User, id, ct), audit, ct));
    }

    private static async Task<IResult> ResultAsync(ApprovalDecision decision, IAuditLog audit, CancellationToken ct)
    {
        if (decision.Succeeded)
        {
            return Results.Ok(await ApprovalMessage.FromAsync(decision.Request!, audit, ct));
        }

        var (code, title) = decision.Status switch
        {
            ApprovalDecisionStatus.NotFound => (StatusCodes.Status404NotFound, "No such approval request"),
            ApprovalDecisionStatus.Refused => (StatusCodes.Status403Forbidden, "Not allowed"),
            ApprovalDecisionStatus.Invalid => (StatusCodes.Status422UnprocessableEntity, "Invalid decision"),
            _ => (StatusCodes.Status409Conflict, decision.Request?.Status == ApprovalStatus.Void ? "Changed since the request" : "No longer pending"),
        };
        return Results.Problem(statusCode: code, title: title, detail: decision.Error, extensions: new Dictionary<string, object?>
        {
            ["approvalStatus"] = decision.Request?.Status.ToString(),
        });
    }

    private static IResult NotFound(Guid id) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such approval request",
        detail: $"There is no approval request {id:D}.");
}

public sealed record RejectBody(string? Reason);

/// <summary>An approval request as the HTTP API returns it; <see cref="Outcome"/> once the approved action ran (or runs).</summary>
public sealed record ApprovalMessage(
    Guid ApprovalId,
    string Status,
    string Action,
    string Namespace,
    string Name,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Reason,
    ActionBody? Values,
    IReadOnlyList<ChangeMessage> Changes,
    IReadOnlyList<string> Steps,
    IReadOnlyList<string> Losses,
    string Kubectl,
    ApprovalOutcomeMessage? Outcome)
{
    public static async Task<ApprovalMessage> FromAsync(ApprovalRequest r, IAuditLog audit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(audit);
        var entry = r.ActionId is { } id ? await audit.FindAsync(id, ct) : null;
        return new ApprovalMessage(r.Id, r.Status.ToString(), ActionCatalog.Get(r.Kind).Slug, r.Target.Namespace, r.Target.Name,
            r.RequestedBy.ToString(), r.RequestedAt, r.ExpiresAt, r.DecidedBy?.ToString(), r.DecidedAt, r.Reason,
            r.Plan.Request.IsEmpty ? null : ActionBody.Shown(r.Plan.Kind, r.Plan.Request),
            [.. r.Plan.Changes.Select(c => new ChangeMessage(c.Path, c.Before, c.After))], [.. r.Plan.EffectiveSteps], r.Plan.Losses, r.Plan.KubectlEquivalent,
            r.ActionId is { } actionId
                ? new ApprovalOutcomeMessage(actionId, entry?.Status ?? nameof(ActionStatus.Running), entry is null ? "starting" : Summary(entry),
                    [.. (entry?.PlanSteps ?? []).Select(PlanStepMessage.From)])
                : null);
    }

    private static string Summary(AuditEntry e) => e.Status switch
    {
        nameof(ActionStatus.Verified) => $"applied and verified: {e.Verification}",
        nameof(ActionStatus.Running) => "running",
        _ => e.Error ?? e.Verification ?? e.Status,
    };
}

public sealed record ApprovalOutcomeMessage(Guid ActionId, string Status, string Summary, IReadOnlyList<PlanStepMessage> Steps);
