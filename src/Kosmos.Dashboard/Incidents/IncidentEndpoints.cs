using System.Text;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Incidents;
using Microsoft.AspNetCore.Mvc;

namespace Kosmos.Dashboard.Incidents;

/// <summary>
/// Incidents over HTTP. Reading needs the View policy: <c>GET /api/incidents?status=Open|Resolved&amp;agent=&amp;failureMode=</c>,
/// <c>GET /api/incidents/{id}</c> (timeline, checklist), <c>GET /api/incidents/{id}/postmortem</c> (text/markdown).
/// Changing needs an Operator or higher and the <see cref="ActionEndpoints.CsrfHeader"/> header, like the actions:
/// <c>POST /api/incidents</c> <see cref="OpenIncidentBody"/> (open by hand), <c>POST /api/incidents/{id}/checklist/{item}</c>
/// (tick), <c>POST /api/incidents/{id}/resolve</c> <see cref="ResolveIncidentBody"/>. Refusals are ProblemDetails
/// (400 bad filter, 404 unknown incident or item, 409 the rules refuse, e.g. already resolved or dashboard-only item).
/// </summary>
public static class IncidentEndpoints
{
    public static void MapIncidentEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/incidents").RequireAuthorization(KosmosPolicies.View);
        read.MapGet("", List);
        read.MapGet("/{id}", (string id, IncidentService incidents) =>
            Find(incidents, id) is { } incident ? Results.Ok(IncidentMessage.From(incident)) : NotFound(id));
        read.MapGet("/{id}/postmortem", (string id, IncidentService incidents) =>
            Find(incidents, id) is { } incident
                ? Results.Text(PostMortem.Render(incident), "text/markdown; charset=utf-8", Encoding.UTF8)
                : NotFound(id));

        var write = app.MapGroup("/api/incidents")
            .RequireAuthorization(KosmosPolicies.Operate)
            .AddEndpointFilter(ActionEndpoints.RequireCsrfHeader)
            .DisableAntiforgery();
        write.MapPost("", OpenAsync);
        write.MapPost("/{id}/checklist/{item}", TickAsync);
        write.MapPost("/{id}/resolve", ResolveAsync);
    }

    private static IResult List(IncidentService incidents, string? status, string? agent, string? failureMode)
    {
        IncidentStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Enum.TryParse<IncidentStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown status",
                    detail: $"status must be Open or Resolved (got '{status}').");
            }

            wanted = parsed;
        }

        HealthState? mode = null;
        if (!string.IsNullOrWhiteSpace(failureMode))
        {
            if (!Enum.TryParse<HealthState>(failureMode, ignoreCase: true, out var parsed) || int.TryParse(failureMode, out _))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown failure mode",
                    detail: $"failureMode must be one of {string.Join(", ", Enum.GetNames<HealthState>())} (got '{failureMode}').");
            }

            mode = parsed;
        }

        return Results.Ok(incidents.List(wanted)
            .Where(i => string.IsNullOrWhiteSpace(agent) || i.Agent == agent || i.AgentKey == agent)
            .Where(i => mode is null || i.FailureMode == mode)
            .Select(IncidentSummaryMessage.From)
            .ToList());
    }

    private static async Task<IResult> OpenAsync([FromBody] OpenIncidentBody? body, HttpContext http, IncidentService incidents, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body?.Namespace) || string.IsNullOrWhiteSpace(body.Name))
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Agent missing",
                detail: "The body must name the agent: {\"namespace\": \"kosmos\", \"name\": \"summarizer\", \"note\": \"why\"}.");
        }

        var result = await incidents.OpenAsync(body.Namespace.Trim(), body.Name.Trim(), Who(http), body.Note, ct);
        return result.Incident is { } incident
            ? Results.Created($"/api/incidents/{incident.Id:D}", IncidentMessage.From(incident))
            : Refused(result.Error!);
    }

    private static async Task<IResult> TickAsync(string id, string item, HttpContext http, IncidentService incidents, CancellationToken ct)
    {
        if (Find(incidents, id) is not { } incident)
        {
            return NotFound(id);
        }

        if (Checklist.FromSlug(item) is not { } checklistItem)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such checklist item",
                detail: $"There is no checklist item '{item}'. Items: {string.Join(", ", Checklist.Items.Select(Checklist.Slug))}.");
        }

        var result = await incidents.TickAsync(incident.Id, checklistItem, Who(http), ct);
        return result.Incident is { } next ? Results.Ok(IncidentMessage.From(next)) : Refused(result.Error!);
    }

    private static async Task<IResult> ResolveAsync(string id, [FromBody] ResolveIncidentBody? body, HttpContext http, IncidentService incidents, CancellationToken ct)
    {
        if (Find(incidents, id) is not { } incident)
        {
            return NotFound(id);
        }

        var result = await incidents.ResolveAsync(incident.Id, body?.RootCause, Who(http), ct);
        return result.Incident is { } next ? Results.Ok(IncidentMessage.From(next)) : Refused(result.Error!);
    }

    private static Incident? Find(IncidentService incidents, string id) => Guid.TryParse(id, out var guid) ? incidents.Get(guid) : null;

    private static string Who(HttpContext http) => http.User.Identity?.Name ?? "anonymous";

    private static IResult NotFound(string id) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such incident",
        detail: $"There is no incident '{id}'.");

    private static IResult Refused(string error) => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible", detail: error);
}
