using System.Text.Json.Nodes;
using Kosmos.KubeSim.Fleet;
using Kosmos.KubeSim.Manifests;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Tests.Fleet;

/// <summary>deploy/agents as a reviewer would check it: every agent folder is a consistent, self-contained set of objects.</summary>
public sealed class FleetManifestTests
{
    private static readonly string Directory = FleetSeeder.FindManifestsDirectory() ?? throw new InvalidOperationException("deploy/agents not found above " + AppContext.BaseDirectory);

    private static readonly string[] Agents = ["planner", "researcher", "summarizer", "coder", "reviewer", "vector-store", "scheduler-bot", "archivist"];

    public static TheoryData<string> AgentFolders => [.. Agents];

    [Fact]
    public void Fleet_HasTheNamespaceAndEveryDemoAgent_EachWithABehaviour()
    {
        var ns = Assert.Single(YamlJson.ParseAll(File.ReadAllText(Path.Combine(Directory, "namespace.yaml"))));
        Assert.Equal("Namespace", Str(ns, "kind"));
        Assert.Equal("kosmos", Str(ns, "metadata", "name"));
        var folders = System.IO.Directory.GetDirectories(Directory).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(Agents.Order(), folders);
        Assert.Equal(Agents.Order(), DemoBehaviours.All.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(AgentFolders))]
    public void AgentFolder_IsConsistent(string agent)
    {
        var objects = Load(agent);
        Assert.All(objects, o =>
        {
            Assert.NotNull(ResourceKinds.FindByKind(Str(o, "apiVersion") ?? "", Str(o, "kind") ?? ""));
            Assert.Equal("kosmos", Str(o, "metadata", "namespace"));
            Assert.Equal(agent, Str(o, "metadata", "labels", "app"));
        });

        var deployment = Assert.Single(objects, o => Str(o, "kind") == "Deployment");
        Assert.Equal("apps/v1", Str(deployment, "apiVersion"));
        Assert.Equal(agent, Str(deployment, "metadata", "name"));
        var matchLabels = deployment["spec"]!["selector"]!["matchLabels"]!.AsObject();
        var templateLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.Equal(agent, Str(matchLabels, "app"));
        Assert.All(matchLabels, p => Assert.Equal(Str(p.Value), Str(templateLabels[p.Key])));
        Assert.True(JsonValues.Long(deployment["spec"]!["replicas"]) >= 1);

        var container = Assert.Single(deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray())!.AsObject();
        Assert.Equal("agent", Str(container, "name"));
        Assert.StartsWith($"ghcr.io/kosmos-ai/{agent}:", Str(container, "image"));
        Assert.NotNull(container["resources"]?["requests"]?["cpu"]);
        Assert.NotNull(container["resources"]?["requests"]?["memory"]);
        Assert.NotNull(container["resources"]?["limits"]?["memory"]);
        Assert.NotNull(container["readinessProbe"]);
        Assert.NotNull(container["livenessProbe"]);

        // Every object the pod reads is in the same folder, so `kubectl apply -f deploy/agents/<agent>/` is enough.
        var names = objects.Select(o => (Str(o, "kind"), Str(o, "metadata", "name"))).ToHashSet();
        var env = container["env"]?.AsArray() ?? [];
        Assert.Contains(env, e => e?["valueFrom"]?["secretKeyRef"] is not null);
        foreach (var e in env)
        {
            if (Str(e, "valueFrom", "configMapKeyRef", "name") is { } cm)
            {
                var configMap = objects.Single(o => Str(o, "kind") == "ConfigMap" && Str(o, "metadata", "name") == cm);
                Assert.NotNull(configMap["data"]?[Str(e, "valueFrom", "configMapKeyRef", "key")!]);
            }

            if (Str(e, "valueFrom", "secretKeyRef", "name") is { } secret)
            {
                var s = objects.Single(o => Str(o, "kind") == "Secret" && Str(o, "metadata", "name") == secret);
                Assert.NotNull(s["data"]?[Str(e, "valueFrom", "secretKeyRef", "key")!]);
            }
        }

        foreach (var from in container["envFrom"]?.AsArray() ?? [])
        {
            Assert.Contains(("ConfigMap", Str(from, "configMapRef", "name")), names);
        }

        var claims = (deployment["spec"]!["template"]!["spec"]!["volumes"]?.AsArray() ?? [])
            .Select(v => Str(v, "persistentVolumeClaim", "claimName")).OfType<string>().ToList();
        foreach (var claim in claims)
        {
            Assert.Contains(("PersistentVolumeClaim", claim), names);
        }

        foreach (var snapshot in objects.Where(o => Str(o, "kind") == "VolumeSnapshot"))
        {
            Assert.Contains(("PersistentVolumeClaim", Str(snapshot, "spec", "source", "persistentVolumeClaimName")), names);
        }
    }

    [Theory]
    [InlineData("planner")]
    [InlineData("archivist")]
    public void StatefulAgent_MountsItsClaimAtVarLibKosmos_AndHasTwoSnapshotsOfIt(string agent)
    {
        var objects = Load(agent);
        var deployment = objects.Single(o => Str(o, "kind") == "Deployment");
        var podSpec = deployment["spec"]!["template"]!["spec"]!;
        var volume = Assert.Single(podSpec["volumes"]!.AsArray())!;
        Assert.Equal($"{agent}-state", Str(volume, "persistentVolumeClaim", "claimName"));
        var mount = Assert.Single(podSpec["containers"]![0]!["volumeMounts"]!.AsArray())!;
        Assert.Equal("/var/lib/kosmos", Str(mount, "mountPath"));
        Assert.Equal(Str(volume, "name"), Str(mount, "name"));
        Assert.Equal("Recreate", Str(deployment, "spec", "strategy", "type"));
        var snapshots = objects.Where(o => Str(o, "kind") == "VolumeSnapshot").ToList();
        Assert.Equal(2, snapshots.Count);
        Assert.All(snapshots, s => Assert.Equal($"{agent}-state", Str(s, "spec", "source", "persistentVolumeClaimName")));
    }

    [Fact]
    public void LoadManifests_PutsNamespaceFirst_AndEverySnapshotAfterItsClaim()
    {
        var kinds = FleetSeeder.LoadManifests(Directory).Select(o => Str(o, "kind")).ToList();

        Assert.Equal("Namespace", kinds[0]);
        Assert.True(kinds.LastIndexOf("PersistentVolumeClaim") < kinds.IndexOf("VolumeSnapshot"));
        Assert.True(kinds.LastIndexOf("ConfigMap") < kinds.IndexOf("Deployment"));
        Assert.Equal(8, kinds.Count(k => k == "Deployment"));
    }

    private static List<JsonObject> Load(string agent) =>
        System.IO.Directory.GetFiles(Path.Combine(Directory, agent), "*.yaml")
            .SelectMany(f => YamlJson.ParseAll(File.ReadAllText(f)))
            .OfType<JsonObject>()
            .ToList();

    private static string? Str(JsonNode? node, params string[] path) => JsonValues.String(JsonValues.At(node, path));
}
