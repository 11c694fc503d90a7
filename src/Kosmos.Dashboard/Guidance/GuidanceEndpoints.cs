using Kosmos.Dashboard.Security;

namespace Kosmos.Dashboard.Guidance;

/// <summary>
/// <c>GET /api/agents/{ns}/{name}/guidance</c> (Viewer and above): the runbook guidance the agent page shows, as a
/// <see cref="GuidanceMessage"/>; 404 for an unknown agent.
/// </summary>
public static class GuidanceEndpoints
{
    public static void AddRunbookGuidance(this IServiceCollection services) => services.AddSingleton<GuidanceReader>();

    public static void MapGuidanceEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/agents/{ns}/{name}/guidance", async (string ns, string name, GuidanceReader reader, CancellationToken ct) =>
                await reader.ReadAsync(ns, name, ct) is { } guidance
                    ? Results.Ok(GuidanceMessage.From(guidance))
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such agent",
                        detail: $"There is no agent {ns}/{name} on the board (no Deployment or pods labelled app={name} in a watched namespace)."))
            .RequireAuthorization() // signed in, also in the local demo: scripts read the API as someone
            .RequireAuthorization(KosmosPolicies.View);
}
