using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Controllers;
using Kosmos.KubeSim.Manifests;
using Kosmos.KubeSim.Runtime;
using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kosmos.KubeSim.Fleet;

/// <summary>
/// Puts the demo fleet into the store at start, as <c>kubectl apply -f deploy/agents/&lt;agent&gt;/</c> would (namespace first,
/// ConfigMaps and Secrets before the Deployments that read them, each VolumeSnapshot after its claim). Binding the claims
/// and cutting the snapshots is the volume controller's work, as in a real cluster (it also gives the volumes their data).
/// Also seeds large synthetic fleets for scale benchmarks. Not thread-safe; call before or beside the simulator's own writers (the store itself is thread-safe).
/// </summary>
public sealed partial class FleetSeeder(ObjectStore store, TimeProvider time, ILogger<FleetSeeder>? logger = null)
{
    public const string Namespace = "kosmos";
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    private static readonly string[] ApplyOrder =
        ["Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim", "VolumeSnapshot", "Deployment"];

    private readonly ILogger _logger = logger ?? NullLogger<FleetSeeder>.Instance;

    /// <summary>
    /// Agent → image tags its Deployment ran before the manifest's (oldest first). Each becomes a ReplicaSet scaled to zero
    /// with that tag and revision 1, 2, …, written before the Deployment without an owner, so the Deployment controller adopts
    /// it as history (as after <c>kubectl set image</c> from that tag) and numbers the manifest's ReplicaSet after it.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? PastImageTags { get; init; }

    /// <summary><paramref name="configured"/> if given, else the nearest <c>deploy/agents</c> above the application's base directory.</summary>
    public static string? FindManifestsDirectory(string? configured = null)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? configured : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "agents");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Every object of the fleet's manifests (namespace.yaml and each agent folder), in apply order.</summary>
    public static IReadOnlyList<JsonObject> LoadManifests(string directory)
    {
        var files = Directory.GetFiles(directory, "*.yaml", SearchOption.TopDirectoryOnly)
            .Concat(Directory.GetDirectories(directory).OrderBy(d => d, StringComparer.Ordinal)
                .SelectMany(d => Directory.GetFiles(d, "*.yaml").OrderBy(f => f, StringComparer.Ordinal)));
        var objects = new List<JsonObject>();
        foreach (var file in files)
        {
            try
            {
                objects.AddRange(YamlJson.ParseAll(File.ReadAllText(file)).OfType<JsonObject>());
            }
            catch (FormatException ex)
            {
                throw new FormatException($"{file}: {ex.Message}", ex);
            }
        }

        return objects
            .Select((o, i) => (Object: o, Index: i))
            .OrderBy(p => Array.IndexOf(ApplyOrder, JsonValues.String(p.Object["kind"])) is var rank and >= 0 ? rank : ApplyOrder.Length)
            .ThenBy(p => p.Index)
            .Select(p => p.Object)
            .ToList();
    }

    /// <summary>Seeds the demo fleet; returns how many objects it created (objects that already exist are left alone).</summary>
    public int SeedDemo(string? manifestsDirectory = null)
    {
        var directory = FindManifestsDirectory(manifestsDirectory);
        if (directory is null)
        {
            LogNoManifests(_logger, manifestsDirectory);
            return 0;
        }

        var created = 0;
        foreach (var manifest in LoadManifests(directory))
        {
            var kind = ResourceKinds.FindByKind(JsonValues.String(manifest["apiVersion"]) ?? "", JsonValues.String(manifest["kind"]) ?? "");
            if (kind is null)
            {
                LogUnknownKind(_logger, JsonValues.String(manifest["apiVersion"]), JsonValues.String(manifest["kind"]), directory);
                continue;
            }

            var obj = manifest.DeepClone().AsObject();
            var meta = ObjectStore.Metadata(obj);
            if (kind.Namespaced)
            {
                meta["namespace"] ??= Namespace;
            }

            if (meta["annotations"] is not JsonObject annotations)
            {
                annotations = new JsonObject();
                meta["annotations"] = annotations;
            }

            annotations[LastApplied] = manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) + "\n";
            if (kind == ResourceKinds.Deployments)
            {
                created += SeedHistory(obj);
            }

            try
            {
                var stored = store.Create(kind, obj);
                created++;
                SettleStatus(kind, stored);
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
                // Already there (seeded twice, or applied by someone): keep what exists.
            }
        }

        LogSeeded(_logger, created, directory);
        return created;
    }

    /// <summary>
    /// A large healthy fleet for scale benchmarks: <paramref name="agents"/> agents (<c>app=bulk-agent-NNNNN</c>) with
    /// <paramref name="podsPerAgent"/> Running, Ready pods each, written straight to the store with a real pod's shape. The
    /// pods sit on bulk nodes no kubelet runs, so they cost nothing after creation (deleting one removes it after a second).
    /// Returns the number of pods created.
    /// </summary>
    public int SeedBulk(int agents, int podsPerAgent, string ns = Namespace)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        ArgumentOutOfRangeException.ThrowIfNegative(podsPerAgent);
        if (store.Get(ResourceKinds.Namespaces, null, ns) is null)
        {
            store.Create(ResourceKinds.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        var random = new Random(agents * 7919 + podsPerAgent);

        // One parsed template, cloned per pod: a parsed node clones almost for free, one built in code does not.
        var template = JsonNode.Parse(BulkPod(ns, ObjectStore.Timestamp(time.GetUtcNow())).ToJsonString())!.AsObject();
        var created = 0;
        for (var a = 0; a < agents; a++)
        {
            var agent = $"bulk-agent-{a:00000}";
            var hash = Suffix(random, 10);
            for (var p = 0; p < podsPerAgent; p++)
            {
                var pod = Vary(template, agent, $"{agent}-{hash}-{Suffix(random, 5)}", hash, a * podsPerAgent + p);
                try
                {
                    store.Create(ResourceKinds.Pods, pod);
                    created++;
                }
                catch (ApiException ex) when (ex.Code == 409)
                {
                    // Name collision with an earlier seed: skip it.
                }
            }
        }

        return created;
    }

    private int SeedHistory(JsonObject deployment)
    {
        var name = JsonValues.String(deployment["metadata"]?["name"]) ?? "";
        if (PastImageTags?.GetValueOrDefault(name) is not { Count: > 0 } tags
            || JsonValues.At(deployment, "spec", "template") is not JsonObject template
            || store.Get(ResourceKinds.Deployments, Namespace, name) is not null)
        {
            return 0;
        }

        var ns = JsonValues.String(deployment["metadata"]?["namespace"]) ?? Namespace;
        var created = 0;
        for (var i = 0; i < tags.Count; i++)
        {
            var old = template.DeepClone().AsObject();
            foreach (var container in (JsonValues.At(old, "spec", "containers") as JsonArray ?? []).OfType<JsonObject>())
            {
                var image = JsonValues.String(container["image"]) ?? "";
                var colon = image.LastIndexOf(':');
                container["image"] = (colon > image.LastIndexOf('/') ? image[..colon] : image) + ":" + tags[i];
            }

            var hash = PodTemplateHash.Compute(old, null);
            var labels = Meta.MutableChild(Meta.MutableChild(old, "metadata"), "labels");
            labels[PodTemplateHash.Label] = hash;
            var selector = JsonValues.At(deployment, "spec", "selector")?.DeepClone() as JsonObject ?? [];
            Meta.MutableChild(selector, "matchLabels")[PodTemplateHash.Label] = hash;
            var rs = new JsonObject
            {
                ["apiVersion"] = ResourceKinds.ReplicaSets.ApiVersion,
                ["kind"] = ResourceKinds.ReplicaSets.Kind,
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{name}-{hash}",
                    ["namespace"] = ns,
                    ["labels"] = labels.DeepClone(),
                    ["annotations"] = new JsonObject
                    {
                        [DeploymentController.RevisionAnnotation] = (i + 1).ToString(CultureInfo.InvariantCulture),
                    },
                },
                ["spec"] = new JsonObject { ["replicas"] = 0, ["selector"] = selector, ["template"] = old },
            };
            try
            {
                store.Create(ResourceKinds.ReplicaSets, rs);
                created++;
            }
            catch (ApiException ex) when (ex.Code == 409)
            {
                // Seeded before: keep it.
            }
        }

        return created;
    }

    private void SettleStatus(ResourceKind kind, JsonObject stored)
    {
        if (kind == ResourceKinds.Namespaces)
        {
            store.Update(kind, null, JsonValues.String(stored["metadata"]?["name"]) ?? "", n =>
            {
                n["status"] = new JsonObject { ["phase"] = "Active" };
                return n;
            });
        }
    }

    private static JsonObject Vary(JsonObject template, string agent, string name, string hash, int index)
    {
        var pod = template.DeepClone().AsObject();
        var ip = $"10.{96 + index / 65_024 % 32}.{index / 254 % 256}.{index % 254 + 1}";
        pod["metadata"]!["name"] = name;
        pod["metadata"]!["labels"] = new JsonObject { ["app"] = agent, ["pod-template-hash"] = hash };
        pod["spec"]!["nodeName"] = $"{Kubelet.BulkNodePrefix}{index / 100:0000}";
        var status = pod["status"]!;
        status["hostIP"] = "172.18.1." + (index / 100 % 250 + 2).ToString(CultureInfo.InvariantCulture);
        status["podIP"] = ip;
        status["podIPs"]![0]!["ip"] = ip;
        status["containerStatuses"]![0]!["containerID"] =
            "containerd://" + Convert.ToHexStringLower(BitConverter.GetBytes((long)index * 2_654_435_761L)).PadRight(64, '0');
        return pod;
    }

    private static JsonObject BulkPod(string ns, string now)
    {
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "",
                ["namespace"] = ns,
                ["labels"] = new JsonObject(),
            },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "agent",
                    ["image"] = "ghcr.io/kosmos-ai/bulk-agent:1.0.0",
                    ["imagePullPolicy"] = "IfNotPresent",
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 8080, ["protocol"] = "TCP" }),
                    ["resources"] = new JsonObject
                    {
                        ["requests"] = new JsonObject { ["cpu"] = "50m", ["memory"] = "64Mi" },
                        ["limits"] = new JsonObject { ["memory"] = "128Mi" },
                    },
                    ["readinessProbe"] = new JsonObject
                    {
                        ["httpGet"] = new JsonObject { ["path"] = "/readyz", ["port"] = "http", ["scheme"] = "HTTP" },
                        ["periodSeconds"] = 10,
                        ["timeoutSeconds"] = 1,
                        ["successThreshold"] = 1,
                        ["failureThreshold"] = 3,
                    },
                    ["terminationMessagePath"] = "/dev/termination-log",
                    ["terminationMessagePolicy"] = "File",
                }),
                ["dnsPolicy"] = "ClusterFirst",
                ["nodeName"] = "",
                ["restartPolicy"] = "Always",
                ["schedulerName"] = "default-scheduler",
                ["serviceAccountName"] = "default",
                ["terminationGracePeriodSeconds"] = 30,
            },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(
                    BulkCondition("PodReadyToStartContainers", now),
                    BulkCondition("Initialized", now),
                    BulkCondition("Ready", now),
                    BulkCondition("ContainersReady", now),
                    BulkCondition("PodScheduled", now)),
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["containerID"] = "",
                    ["image"] = "ghcr.io/kosmos-ai/bulk-agent:1.0.0",
                    ["imageID"] = "ghcr.io/kosmos-ai/bulk-agent@sha256:6f1c1f3a6b0e8f3b1b0c63c2b7a1d2f4e5c6b7a8d9e0f1a2b3c4d5e6f7a8b9c0",
                    ["lastState"] = new JsonObject(),
                    ["name"] = "agent",
                    ["ready"] = true,
                    ["restartCount"] = 0,
                    ["started"] = true,
                    ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
                }),
                ["hostIP"] = "",
                ["phase"] = "Running",
                ["podIP"] = "",
                ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "" }),
                ["qosClass"] = "Burstable",
                ["startTime"] = now,
            },
        };
    }

    private static JsonObject BulkCondition(string type, string now) => new()
    {
        ["lastProbeTime"] = null,
        ["lastTransitionTime"] = now,
        ["status"] = "True",
        ["type"] = type,
    };

    private static string Suffix(Random random, int length)
    {
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(length, random, (chars, r) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No deploy/agents manifests found (configured: {Configured}); the demo fleet is not seeded")]
    private static partial void LogNoManifests(ILogger logger, string? configured);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipping {ApiVersion} {Kind} in {Directory}: not a resource the simulator serves")]
    private static partial void LogUnknownKind(ILogger logger, string? apiVersion, string? kind, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} demo fleet objects from {Directory}")]
    private static partial void LogSeeded(ILogger logger, int count, string directory);
}
