using System.Text.Json.Nodes;

namespace Kosmos.E2E.Tests;

/// <summary>Copies of demo agents, so a test can change one while the other tests still see the original fail.</summary>
internal static class DemoAgents
{
    private const string Namespace = "kosmos";

    // Marks the ConfigMaps a copy owns, so deleting the copy deletes them.
    private const string CopyLabel = "kosmos.test/copy-of";

    /// <summary>The demo summarizer's Deployment and program under the name <paramref name="agent"/>: needs ~700Mi, limited to 256Mi.</summary>
    public static Task CopySummarizerAsync(DashboardFixture fixture, HttpClient sim, string agent) => CopyAsync(fixture, sim, "summarizer", agent);

    /// <summary>
    /// <paramref name="source"/>'s Deployment under the name <paramref name="agent"/> (same pod template, ConfigMaps and
    /// Secrets), running <paramref name="source"/>'s program unless <paramref name="behaviourJson"/> gives another. With
    /// <paramref name="ownConfigMaps"/>, each ConfigMap the containers import whole is copied as <c>&lt;agent&gt;-&lt;name&gt;</c>
    /// and the copy imports that instead, so a test may edit it while the original reads its own.
    /// </summary>
    public static async Task CopyAsync(DashboardFixture fixture, HttpClient sim, string source, string agent, string? behaviourJson = null, bool ownConfigMaps = false)
    {
        var json = JsonNode.Parse((await fixture.Kubectl.RunAsync("get", "deployment", source, "-n", Namespace, "-o", "json")).EnsureSuccess().Stdout)!.AsObject();
        if (ownConfigMaps)
        {
            foreach (var reference in json["spec"]!["template"]!["spec"]!["containers"]!.AsArray()
                .SelectMany(c => c!["envFrom"]?.AsArray() ?? []).Select(f => f!["configMapRef"]).OfType<JsonObject>())
            {
                var name = reference["name"]!.GetValue<string>();
                var configMap = JsonNode.Parse((await fixture.Kubectl.RunAsync("get", "configmap", name, "-n", Namespace, "-o", "json")).EnsureSuccess().Stdout)!.AsObject();
                configMap["metadata"] = new JsonObject { ["name"] = $"{agent}-{name}", ["namespace"] = Namespace, ["labels"] = new JsonObject { [CopyLabel] = agent } };
                (await fixture.Kubectl.RunAsync(["apply", "-f", "-"], configMap.ToJsonString(), TimeSpan.FromSeconds(60))).EnsureSuccess();
                reference["name"] = $"{agent}-{name}";
            }
        }

        json["metadata"] = new JsonObject { ["name"] = agent, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["app"] = agent } };
        json.Remove("status");
        json["spec"]!["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = agent } };
        json["spec"]!["template"]!["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = agent } };

        if (behaviourJson is null)
        {
            using var behaviour = await sim.GetAsync($"/sim/agents/{source}/behaviour");
            behaviour.EnsureSuccessStatusCode();
            behaviourJson = await behaviour.Content.ReadAsStringAsync();
        }

        await SetBehaviourAsync(sim, agent, behaviourJson);
        (await fixture.Kubectl.RunAsync(["apply", "-f", "-"], json.ToJsonString(), TimeSpan.FromSeconds(60))).EnsureSuccess();
    }

    /// <summary>How the simulator runs <paramref name="agent"/>'s program from now on (its next start reads it).</summary>
    public static async Task SetBehaviourAsync(HttpClient sim, string agent, string behaviourJson)
    {
        using var body = new StringContent(behaviourJson, System.Text.Encoding.UTF8, "application/json");
        (await sim.PutAsync($"/sim/agents/{agent}/behaviour", body)).EnsureSuccessStatusCode().Dispose();
    }

    /// <summary>Deletes a copy made by <see cref="CopyAsync"/>, and its program.</summary>
    public static async Task DeleteAsync(DashboardFixture fixture, HttpClient sim, string agent)
    {
        await fixture.Kubectl.RunAsync("delete", "deployment", agent, "-n", Namespace, "--cascade=foreground", "--wait=true", "--ignore-not-found");
        await fixture.Kubectl.RunAsync("delete", "configmap", "-n", Namespace, "-l", $"{CopyLabel}={agent}", "--ignore-not-found");
        (await sim.DeleteAsync($"/sim/agents/{agent}/behaviour")).Dispose();
    }
}
