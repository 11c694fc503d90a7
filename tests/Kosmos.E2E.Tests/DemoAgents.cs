using System.Text.Json.Nodes;

namespace Kosmos.E2E.Tests;

/// <summary>Copies of demo agents, so a test can change one while the other tests still see the original fail.</summary>
internal static class DemoAgents
{
    private const string Namespace = "kosmos";
    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";

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
        var json = await CopiedDeploymentAsync(fixture, source, agent);
        if (ownConfigMaps)
        {
            foreach (var reference in Containers(json["spec"]!["template"]!)
                .SelectMany(c => c["envFrom"] as JsonArray ?? []).Select(f => f?["configMapRef"]).OfType<JsonObject>())
            {
                var name = reference["name"]!.GetValue<string>();
                var configMap = JsonNode.Parse((await fixture.Kubectl.RunAsync("get", "configmap", name, "-n", Namespace, "-o", "json")).EnsureSuccess().Stdout)!.AsObject();
                configMap["metadata"] = new JsonObject { ["name"] = $"{agent}-{name}", ["namespace"] = Namespace, ["labels"] = new JsonObject { [CopyLabel] = agent } };
                await ApplyAsync(fixture, configMap);
                reference["name"] = $"{agent}-{name}";
            }
        }

        await SetBehaviourAsync(sim, agent, behaviourJson ?? await BehaviourAsync(sim, source));
        await ApplyAsync(fixture, json);
    }

    /// <summary>
    /// Like <see cref="CopyAsync"/>, with the images <paramref name="source"/> ran before its current one rolled out first
    /// (scaled to zero, oldest revision first), so the copy's ReplicaSets hold the same image history as the source's: what
    /// the dashboard offers to go back to exists for the copy too.
    /// </summary>
    public static async Task CopyWithImageHistoryAsync(DashboardFixture fixture, HttpClient sim, string source, string agent)
    {
        var json = await CopiedDeploymentAsync(fixture, source, agent);
        await SetBehaviourAsync(sim, agent, await BehaviourAsync(sim, source));
        var current = Images(json["spec"]!["template"]!);
        foreach (var images in await PastImagesAsync(fixture, source, current))
        {
            // As `kubectl set image` on a Deployment scaled to zero: a ReplicaSet per image, and no pod of an old image running.
            var past = json.DeepClone().AsObject();
            past["spec"]!["replicas"] = 0;
            foreach (var container in Containers(past["spec"]!["template"]!))
            {
                container["image"] = images[(string)container["name"]!];
            }

            await ApplyAsync(fixture, past);
            (await fixture.Kubectl.RunAsync(["rollout", "status", $"deployment/{agent}", "-n", Namespace, "--timeout=60s"], null, TimeSpan.FromSeconds(90))).EnsureSuccess();
        }

        await ApplyAsync(fixture, json);
    }

    /// <summary>
    /// Like <see cref="CopyAsync"/>, but the copy calls <paramref name="dependencyCopy"/> where <paramref name="source"/> calls
    /// <paramref name="dependency"/>: each ConfigMap the source's pod template reads is copied as <c>&lt;agent&gt;-…</c> with the
    /// dependency's service host renamed in its values, and the copy reads those ConfigMaps instead.
    /// </summary>
    public static async Task CopyCallingAsync(DashboardFixture fixture, HttpClient sim, string source, string agent, string dependency, string dependencyCopy)
    {
        var json = await CopiedDeploymentAsync(fixture, source, agent);
        var refs = Containers(json["spec"]!["template"]!)
            .SelectMany(c => (c["env"] as JsonArray ?? []).Select(e => e?["valueFrom"]?["configMapKeyRef"])
                .Concat((c["envFrom"] as JsonArray ?? []).Select(e => e?["configMapRef"])))
            .OfType<JsonObject>()
            .ToList();
        foreach (var name in refs.Select(r => (string)r["name"]!).Distinct(StringComparer.Ordinal))
        {
            var copy = name.StartsWith(source + "-", StringComparison.Ordinal) ? agent + name[source.Length..] : $"{agent}-{name}";
            var configMap = JsonNode.Parse((await fixture.Kubectl.RunAsync("get", "configmap", name, "-n", Namespace, "-o", "json")).EnsureSuccess().Stdout)!.AsObject();
            configMap["metadata"] = new JsonObject { ["name"] = copy, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["app"] = agent } };
            foreach (var (key, value) in (configMap["data"] as JsonObject ?? []).ToList())
            {
                // http://vector-store.kosmos.svc:8080 → http://vector-store-flow.kosmos.svc:8080, as a host, not as any substring.
                configMap["data"]![key] = ((string?)value ?? "").Replace($"//{dependency}.", $"//{dependencyCopy}.", StringComparison.Ordinal)
                    .Replace($"//{dependency}:", $"//{dependencyCopy}:", StringComparison.Ordinal);
            }

            await ApplyAsync(fixture, configMap);
            foreach (var reference in refs.Where(r => (string)r["name"]! == name))
            {
                reference["name"] = copy;
            }
        }

        await SetBehaviourAsync(sim, agent, await BehaviourAsync(sim, source));
        await ApplyAsync(fixture, json);
    }

    /// <summary>How the simulator runs <paramref name="agent"/>'s program from now on (its next start reads it).</summary>
    public static async Task SetBehaviourAsync(HttpClient sim, string agent, string behaviourJson)
    {
        using var body = new StringContent(behaviourJson, System.Text.Encoding.UTF8, "application/json");
        (await sim.PutAsync($"/sim/agents/{agent}/behaviour", body)).EnsureSuccessStatusCode().Dispose();
    }

    /// <summary>Deletes a copy made by <see cref="CopyAsync"/> (or its variants), its ConfigMaps and its program.</summary>
    public static async Task DeleteAsync(DashboardFixture fixture, HttpClient sim, string agent)
    {
        await fixture.Kubectl.RunAsync("delete", "deployment", agent, "-n", Namespace, "--cascade=foreground", "--wait=true", "--ignore-not-found");
        await fixture.Kubectl.RunAsync("delete", "configmap", "-n", Namespace, "-l", $"app={agent}", "--ignore-not-found");
        await fixture.Kubectl.RunAsync("delete", "configmap", "-n", Namespace, "-l", $"{CopyLabel}={agent}", "--ignore-not-found");
        (await sim.DeleteAsync($"/sim/agents/{agent}/behaviour")).Dispose();
    }

    private static async Task<JsonObject> CopiedDeploymentAsync(DashboardFixture fixture, string source, string agent)
    {
        var json = JsonNode.Parse((await fixture.Kubectl.RunAsync("get", "deployment", source, "-n", Namespace, "-o", "json")).EnsureSuccess().Stdout)!.AsObject();
        json["metadata"] = new JsonObject { ["name"] = agent, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["app"] = agent } };
        json.Remove("status");
        json["spec"]!["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = agent } };
        json["spec"]!["template"]!["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = agent } };
        return json;
    }

    private static async Task<string> BehaviourAsync(HttpClient sim, string source)
    {
        using var behaviour = await sim.GetAsync($"/sim/agents/{source}/behaviour");
        behaviour.EnsureSuccessStatusCode();
        return await behaviour.Content.ReadAsStringAsync();
    }

    // The container images of each of the source's ReplicaSets older than the current template, oldest revision first.
    private static async Task<List<Dictionary<string, string>>> PastImagesAsync(DashboardFixture fixture, string source, Dictionary<string, string> current)
    {
        var sets = JsonNode.Parse((await fixture.Kubectl.RunAsync("get", "replicasets", "-n", Namespace, "-l", $"app={source}", "-o", "json")).EnsureSuccess().Stdout)!;
        return [.. (sets["items"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(rs => (Revision: long.Parse((string?)rs["metadata"]?["annotations"]?[RevisionAnnotation] ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                Images: Images(rs["spec"]!["template"]!)))
            .Where(rs => !rs.Images.OrderBy(i => i.Key, StringComparer.Ordinal).SequenceEqual(current.OrderBy(i => i.Key, StringComparer.Ordinal)))
            .OrderBy(rs => rs.Revision)
            .Select(rs => rs.Images)];
    }

    private static IEnumerable<JsonObject> Containers(JsonNode template) => (template["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>();

    private static Dictionary<string, string> Images(JsonNode template) =>
        Containers(template).ToDictionary(c => (string)c["name"]!, c => (string)c["image"]!, StringComparer.Ordinal);

    private static async Task ApplyAsync(DashboardFixture fixture, JsonObject json) =>
        (await fixture.Kubectl.RunAsync(["apply", "-f", "-"], json.ToJsonString(), TimeSpan.FromSeconds(60))).EnsureSuccess();
}
