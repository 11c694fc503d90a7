using System.Text.Json.Nodes;

namespace Kosmos.E2E.Tests;

/// <summary>Copies of demo agents, so a test can change one while the other tests still see the original fail.</summary>
internal static class DemoAgents
{
    private const string Namespace = "kosmos";

    /// <summary>The demo summarizer's Deployment and program under the name <paramref name="agent"/>: needs ~700Mi, limited to 256Mi.</summary>
    public static async Task CopySummarizerAsync(DashboardFixture fixture, HttpClient sim, string agent)
    {
        var json = JsonNode.Parse((await fixture.Kubectl.RunAsync("get", "deployment", "summarizer", "-n", Namespace, "-o", "json")).EnsureSuccess().Stdout)!.AsObject();
        json["metadata"] = new JsonObject { ["name"] = agent, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["app"] = agent } };
        json.Remove("status");
        json["spec"]!["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = agent } };
        json["spec"]!["template"]!["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = agent } };

        using var behaviour = await sim.GetAsync("/sim/agents/summarizer/behaviour");
        behaviour.EnsureSuccessStatusCode();
        using var body = new StringContent(await behaviour.Content.ReadAsStringAsync(), System.Text.Encoding.UTF8, "application/json");
        (await sim.PutAsync($"/sim/agents/{agent}/behaviour", body)).EnsureSuccessStatusCode().Dispose();
        (await fixture.Kubectl.RunAsync(["apply", "-f", "-"], json.ToJsonString(), TimeSpan.FromSeconds(60))).EnsureSuccess();
    }
}
