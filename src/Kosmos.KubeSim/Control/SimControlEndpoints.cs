using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kosmos.KubeSim.Control;

/// <summary>
/// Test controls outside the Kubernetes API, under /sim/ (documented in the README). Faults injected here never apply to /sim/ itself.
/// </summary>
public static class SimControlEndpoints
{
    public static void MapSimControls(this IEndpointRouteBuilder app)
    {
        var sim = app.MapGroup("/sim");
        sim.MapBehaviourEndpoints();
        sim.MapGet("/stats", (KubeSimulator s) => Results.Json(s.Stats.ToJson(s.Store.OpenApiWatchCount)));
        sim.MapPost("/stats/reset", (KubeSimulator s) =>
        {
            s.Stats.Reset();
            return Results.NoContent();
        });
        sim.MapGet("/authorizations", (KubeSimulator s, string? user) => Results.Json(s.Authorizations.ToJson(user)));
        sim.MapPost("/authorizations/reset", (KubeSimulator s) =>
        {
            s.Authorizations.Reset();
            return Results.NoContent();
        });
        sim.MapPost("/faults/drop-watches", (KubeSimulator s) => Results.Json(new JsonObject { ["dropped"] = s.Store.DropApiWatches() }));
        sim.MapPost("/faults/expire-history", (KubeSimulator s) =>
        {
            s.Store.ExpireHistory();
            return Results.Json(new JsonObject { ["compactedThrough"] = s.Store.CurrentResourceVersion });
        });
        sim.MapPost("/faults/fail", (KubeSimulator s, int? count, int? code) =>
        {
            var status = code ?? 500;
            if (status is not (500 or 429 or 503))
            {
                return Results.BadRequest(new JsonObject { ["error"] = "code must be 500, 503 or 429" });
            }

            s.Faults.FailNext(count ?? 1, status);
            return Results.Json(new JsonObject { ["failNext"] = count ?? 1, ["code"] = status });
        });
        sim.MapPost("/faults/delay", (KubeSimulator s, int ms) =>
        {
            s.Faults.SetDelay(TimeSpan.FromMilliseconds(Math.Clamp(ms, 0, 60_000)));
            return Results.Json(new JsonObject { ["delayMs"] = ms });
        });
        sim.MapPost("/faults/clear", (KubeSimulator s) =>
        {
            s.Faults.Clear();
            return Results.NoContent();
        });
        sim.MapPost("/restart", (KubeSimulator s) =>
        {
            // The request is served by the front being restarted: answer first, restart just after.
            _ = Task.Run(async () =>
            {
                await Task.Yield();
                await s.RestartApiAsync();
            });
            return Results.Accepted();
        });
        sim.MapGet("/time-scale", (KubeSimulator s) => Results.Json(new JsonObject { ["scale"] = s.Time.Scale }));
        sim.MapPut("/time-scale", (KubeSimulator s, string value) =>
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) || scale is <= 0 or > 10_000)
            {
                return Results.BadRequest(new JsonObject { ["error"] = $"time scale must be a number in (0, 10000], got '{value}'" });
            }

            s.Time.Scale = scale;
            return Results.Json(new JsonObject { ["scale"] = scale });
        });
    }
}
