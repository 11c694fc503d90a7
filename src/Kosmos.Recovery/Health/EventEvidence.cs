using System.Text.RegularExpressions;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Health;

/// <summary>The recent events that concern an agent, looked up by the object they are about.</summary>
internal sealed class EventIndex
{
    private readonly List<EventSnapshot> _events;

    public EventIndex(IEnumerable<EventSnapshot> events, DateTimeOffset recentSince)
    {
        // An event without any timestamp cannot be placed in time; keeping it beats hiding a real failure.
        _events = [.. events.Where(e => e.LastSeen is null || e.LastSeen >= recentSince)];
    }

    public IEnumerable<EventSnapshot> ForPod(PodSnapshot pod) =>
        _events.Where(e => e.InvolvedObject.Kind == "Pod" && IsSameObject(e.InvolvedObject, pod.Uid, pod.Name, pod.Namespace));

    /// <summary>Events about one container (by field path) plus pod events that name no container.</summary>
    public IEnumerable<EventSnapshot> ForContainer(PodSnapshot pod, string container) =>
        ForPod(pod).Where(e =>
            string.IsNullOrEmpty(e.InvolvedObject.FieldPath)
            || e.InvolvedObject.FieldPath.EndsWith("{" + container + "}", StringComparison.Ordinal));

    /// <summary>Node-level events, such as the kernel's OOMKilling reported by node-problem-detector.</summary>
    public IEnumerable<EventSnapshot> ForNode(string? node) =>
        string.IsNullOrEmpty(node) ? [] : _events.Where(e => e.InvolvedObject.Kind == "Node" && e.InvolvedObject.Name == node);

    /// <summary>Events about the Deployment or one of its ReplicaSets (e.g. FailedCreate when a quota is exhausted).</summary>
    public IEnumerable<EventSnapshot> ForDeployment(DeploymentSnapshot deployment) =>
        _events.Where(e =>
            (e.InvolvedObject.Kind == "Deployment" && e.InvolvedObject.Name == deployment.Name)
            || (e.InvolvedObject.Kind == "ReplicaSet" && e.InvolvedObject.Name.StartsWith(deployment.Name + "-", StringComparison.Ordinal)));

    private static bool IsSameObject(ObjectReferenceSnapshot reference, string uid, string name, string ns) =>
        !string.IsNullOrEmpty(reference.Uid) && !string.IsNullOrEmpty(uid)
            ? reference.Uid == uid
            : reference.Name == name && (string.IsNullOrEmpty(reference.Namespace) || reference.Namespace == ns);
}

/// <summary>Turns events into evidence lines such as "readiness probe failed 12 times (last 20s ago): ...".</summary>
internal static partial class EventEvidence
{
    public const string Unhealthy = "Unhealthy";
    public const string Killing = "Killing";
    public const string OomKilling = "OOMKilling";

    /// <summary>A liveness or startup probe failed, or the kubelet killed a container because one did.</summary>
    public static bool IsLivenessFailure(EventSnapshot e) =>
        (e.Reason == Unhealthy && ProbeFailure().Match(e.Message) is { Success: true } m && m.Groups["probe"].Value != "Readiness")
        || (e.Reason == Killing
            && (e.Message.Contains("failed liveness probe", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("failed startup probe", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Warnings, plus the Normal-typed Killing event that says a probe made the kubelet restart a container.</summary>
    public static bool IsTelling(EventSnapshot e) => e.IsWarning || IsLivenessFailure(e);

    public static IEnumerable<string> Describe(IEnumerable<EventSnapshot> events, DateTimeOffset now) =>
        events
            .GroupBy(e => (e.Reason, Probe: ProbeOf(e)))
            .Select(g => (Group: g, Last: g.Max(e => e.LastSeen)))
            .OrderByDescending(x => x.Last)
            .Select(x => DescribeGroup(x.Group.Key.Reason, x.Group.Key.Probe, x.Group.ToList(), x.Last, now));

    public static DateTimeOffset? FirstSeen(IEnumerable<EventSnapshot> events) =>
        events.Select(e => e.FirstTimestamp ?? e.LastTimestamp).Where(t => t is not null).DefaultIfEmpty().Min();

    private static string DescribeGroup(string reason, string? probe, List<EventSnapshot> events, DateTimeOffset? last, DateTimeOffset now)
    {
        var count = events.Sum(e => Math.Max(e.Count, 1));
        var latest = events.OrderByDescending(e => e.LastSeen).First();
        var when = last is null ? "" : $"(last{Text.Ago(last, now)})";

        // Kubernetes writes "Readiness probe failed: <detail>"; a person scanning evidence wants the probe first.
        if (probe is not null)
        {
            var detail = ProbeFailure().Match(latest.Message).Groups["detail"].Value;
            return Join($"{probe.ToLowerInvariant()} probe failed {Text.Times(count)}", when) + Text.Colon(detail);
        }

        return Join(count == 1 ? reason : $"{reason} {Text.Times(count)}", when) + Text.Colon(latest.Message);
    }

    private static string Join(string head, string when) => when.Length == 0 ? head : head + " " + when;

    private static string? ProbeOf(EventSnapshot e) =>
        e.Reason == Unhealthy && ProbeFailure().Match(e.Message) is { Success: true } m ? m.Groups["probe"].Value : null;

    [GeneratedRegex(@"^(?<probe>Readiness|Liveness|Startup) probe (?:failed|errored):?\s*(?<detail>.*)$", RegexOptions.Singleline)]
    private static partial Regex ProbeFailure();
}
