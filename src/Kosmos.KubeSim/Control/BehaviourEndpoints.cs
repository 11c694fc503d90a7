using System.Text.Json.Nodes;
using Kosmos.KubeSim.Fleet;
using Kosmos.KubeSim.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kosmos.KubeSim.Control;

/// <summary>
/// /sim/agents: the simulated agents' behaviour (what their programs do), readable and settable while the simulator runs.
/// <list type="bullet">
/// <item>GET /sim/agents → {"agent": behaviour, ...}</item>
/// <item>GET /sim/agents/{agent}/behaviour → the behaviour (404 when the agent has none: it is healthy)</item>
/// <item>PUT /sim/agents/{agent}/behaviour (JSON body) → replaces it and re-arms a one-time deadlock; 400 names a bad field</item>
/// <item>DELETE /sim/agents/{agent}/behaviour → the agent becomes healthy</item>
/// </list>
/// Containers read their behaviour when they start; a running one keeps what it started with (except the deadlock trigger).
/// </summary>
public static class BehaviourEndpoints
{
    public static void MapBehaviourEndpoints(this IEndpointRouteBuilder sim)
    {
        sim.MapGet("/agents", (KubeSimulator s) => Behaviours(s) is { } b
            ? Results.Text(ToJson(b.All()), "application/json")
            : NoKubelet());
        sim.MapGet("/agents/{agent}/behaviour", (KubeSimulator s, string agent) => Behaviours(s) is not { } b
            ? NoKubelet()
            : b.Find(agent) is { } behaviour
                ? Results.Text(behaviour.ToJson(), "application/json")
                : Results.NotFound(new JsonObject { ["error"] = $"agent '{agent}' has no behaviour set: it runs healthy" }));
        sim.MapPut("/agents/{agent}/behaviour", async (KubeSimulator s, string agent, HttpRequest request) =>
        {
            if (Behaviours(s) is not { } b)
            {
                return NoKubelet();
            }

            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            try
            {
                var behaviour = AgentBehaviour.FromJson(body);
                b.Set(agent, behaviour);
                return Results.Text(behaviour.ToJson(), "application/json");
            }
            catch (FormatException ex)
            {
                return Results.BadRequest(new JsonObject { ["error"] = ex.Message });
            }
        });
        sim.MapDelete("/agents/{agent}/behaviour", (KubeSimulator s, string agent) => Behaviours(s) is not { } b
            ? NoKubelet()
            : b.Remove(agent) ? Results.NoContent() : Results.NotFound(new JsonObject { ["error"] = $"agent '{agent}' has no behaviour set" }));
    }

    private static AgentBehaviours? Behaviours(KubeSimulator simulator) => ((simulator.Runtime as ExecRuntime)?.Kubelet ?? simulator.Runtime as Kubelet)?.Behaviours;

    private static IResult NoKubelet() =>
        Results.Json(new JsonObject { ["error"] = "no kubelet runs in this simulator (controllers are off)" }, statusCode: 503);

    private static string ToJson(IReadOnlyDictionary<string, AgentBehaviour> all)
    {
        var result = new JsonObject();
        foreach (var (agent, behaviour) in all)
        {
            result[agent] = JsonNode.Parse(behaviour.ToJson());
        }

        return result.ToJsonString();
    }
}
