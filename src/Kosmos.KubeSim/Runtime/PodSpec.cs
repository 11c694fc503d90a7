using System.Globalization;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Machinery;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Runtime;

/// <summary>Reads what the kubelet and scheduler need from pod JSON. Pure functions over frozen snapshots.</summary>
public static class PodSpec
{
    public static string Name(JsonObject pod) => JsonValues.String(pod["metadata"]?["name"]) ?? "";

    public static string Namespace(JsonObject pod) => JsonValues.String(pod["metadata"]?["namespace"]) ?? "default";

    public static string Uid(JsonObject pod) => JsonValues.String(pod["metadata"]?["uid"]) ?? "";

    public static string? NodeName(JsonObject pod) => JsonValues.String(pod["spec"]?["nodeName"]) is { Length: > 0 } n ? n : null;

    public static bool IsDeleting(JsonObject pod) => pod["metadata"]?["deletionTimestamp"] is not null;

    public static string? Label(JsonObject pod, string key) => JsonValues.String(pod["metadata"]?["labels"]?[key]);

    public static string? Phase(JsonObject pod) => JsonValues.String(pod["status"]?["phase"]);

    public static bool IsTerminal(JsonObject pod) => Phase(pod) is "Succeeded" or "Failed";

    public static string RestartPolicy(JsonObject pod) => JsonValues.String(pod["spec"]?["restartPolicy"]) ?? "Always";

    public static long GracePeriodSeconds(JsonObject pod) =>
        JsonValues.Long(pod["metadata"]?["deletionGracePeriodSeconds"]) ?? JsonValues.Long(pod["spec"]?["terminationGracePeriodSeconds"]) ?? 30;

    public static IReadOnlyList<JsonObject> Containers(JsonObject pod, string field = "containers") =>
        (pod["spec"]?[field] as JsonArray ?? []).OfType<JsonObject>().ToList();

    public static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray ?? []).Any(c => JsonValues.String(c?["type"]) == "Ready" && JsonValues.String(c?["status"]) == "True");

    /// <summary>The pod's effective requests (what the scheduler counts): per resource, the sum over containers or the largest init container, whichever is more. A missing request defaults to the limit.</summary>
    public static (long MilliCpu, long MemoryBytes) Requests(JsonObject pod)
    {
        long cpu = 0, memory = 0;
        foreach (var c in Containers(pod))
        {
            cpu += Request(c, "cpu").MilliValue();
            memory += Request(c, "memory").Value();
        }

        foreach (var c in Containers(pod, "initContainers"))
        {
            cpu = Math.Max(cpu, Request(c, "cpu").MilliValue());
            memory = Math.Max(memory, Request(c, "memory").Value());
        }

        return (cpu, memory);
    }

    /// <summary>The container's memory limit in bytes; null when it has none. A zero limit is none, as the runtime reads it.</summary>
    public static long? MemoryLimit(JsonObject container) => NonZero(container, "limits", "memory")?.Value();

    /// <summary>Guaranteed, Burstable or BestEffort, by the rules of the real API server (requests default to limits; zero quantities do not count).</summary>
    public static string QosClass(JsonObject pod)
    {
        var all = Containers(pod).Concat(Containers(pod, "initContainers")).ToList();
        var any = false;
        var guaranteed = true;
        foreach (var c in all)
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                var limit = NonZero(c, "limits", resource);
                var request = c["resources"]?["requests"]?[resource] is null ? limit : NonZero(c, "requests", resource);
                any |= limit is not null || request is not null;
                guaranteed &= limit is not null && request == limit;
            }
        }

        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    /// <summary>The image reference as containerd reports it: <c>nginx</c> → <c>docker.io/library/nginx:latest</c>.</summary>
    public static string NormalizeImage(string image)
    {
        var name = image;
        var digest = "";
        if (name.IndexOf('@', StringComparison.Ordinal) is var at and >= 0)
        {
            digest = name[at..];
            name = name[..at];
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var firstPart = slash < 0 ? "" : name[..slash];
        if (slash < 0)
        {
            name = "docker.io/library/" + name;
        }
        else if (!firstPart.Contains('.', StringComparison.Ordinal) && !firstPart.Contains(':', StringComparison.Ordinal) && firstPart != "localhost")
        {
            name = "docker.io/" + name;
        }

        var lastSlash = name.LastIndexOf('/');
        if (digest.Length == 0 && name.IndexOf(':', lastSlash + 1) < 0)
        {
            name += ":latest";
        }

        return name + digest;
    }

    /// <summary>The tag of an image reference ("latest" when none).</summary>
    public static string ImageTag(string image)
    {
        var name = image.Split('@')[0];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[(colon + 1)..] : "latest";
    }

    /// <summary>The repository of an image reference, without tag or digest.</summary>
    public static string ImageRepository(string image)
    {
        var name = image.Split('@')[0];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    /// <summary>The container's pull policy, defaulted as the API server does: Always for :latest or no tag, else IfNotPresent.</summary>
    public static string PullPolicy(JsonObject container)
    {
        if (JsonValues.String(container["imagePullPolicy"]) is { Length: > 0 } policy)
        {
            return policy;
        }

        var image = JsonValues.String(container["image"]) ?? "";
        return !image.Contains('@', StringComparison.Ordinal) && ImageTag(image) == "latest" ? "Always" : "IfNotPresent";
    }

    /// <summary>A container port by number or name, as probes name them.</summary>
    public static int ResolvePort(JsonObject container, JsonNode? port)
    {
        if (JsonValues.Long(port) is { } n)
        {
            return (int)n;
        }

        var name = JsonValues.String(port);
        foreach (var p in container["ports"] as JsonArray ?? [])
        {
            if (JsonValues.String(p?["name"]) == name)
            {
                return (int)(JsonValues.Long(p?["containerPort"]) ?? 0);
            }
        }

        return int.TryParse(name, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
    }

    private static Quantity Request(JsonObject container, string resource) =>
        Quantity.Decode(container["resources"]?["requests"]?[resource]) ?? Quantity.Decode(container["resources"]?["limits"]?[resource]) ?? default;

    private static Quantity? NonZero(JsonObject container, string kind, string resource) =>
        Quantity.Decode(container["resources"]?[kind]?[resource]) is { IsZero: false } quantity ? quantity : null;
}
