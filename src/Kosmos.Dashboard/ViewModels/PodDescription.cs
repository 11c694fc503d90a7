using System.Globalization;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Status;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>One labelled value of the describe panel.</summary>
public sealed record DescribeField(string Label, string Value);

/// <summary>A container state the way <c>kubectl describe pod</c> spells it out.</summary>
public sealed record ContainerStateView(string State, string? Reason, string? Message, int? ExitCode, int? Signal, string? Started, string? Finished)
{
    public static ContainerStateView? From(ContainerState? state, DateTimeOffset now) => state switch
    {
        null => null,
        ContainerState.Running r => new("Running", null, null, null, null, TimeText.StampAgo(r.StartedAt, now), null),
        ContainerState.Waiting w => new("Waiting", w.Reason, w.Message, null, null, null, null),
        ContainerState.Terminated t => new("Terminated", t.Reason, t.Message, t.ExitCode, t.Signal, TimeText.StampAgo(t.StartedAt, now), TimeText.StampAgo(t.FinishedAt, now)),
        _ => null,
    };

    /// <summary>"Terminated: OOMKilled, exit code 137".</summary>
    public string Headline
    {
        get
        {
            var parts = new List<string>();
            if (!string.IsNullOrEmpty(Reason))
            {
                parts.Add(Reason);
            }

            if (ExitCode is { } code)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"exit code {code}"));
            }

            if (Signal is > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"signal {Signal}"));
            }

            return parts.Count == 0 ? State : $"{State}: {string.Join(", ", parts)}";
        }
    }
}

/// <summary>An environment variable as shown: a literal value, or where the value comes from. Secret values are never carried, so never shown.</summary>
public sealed record EnvRow(string Name, string Value, bool IsReference)
{
    public static EnvRow From(EnvVarSnapshot env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env.Kind == EnvVarSourceKind.Literal
            ? new EnvRow(env.Name, env.Value ?? "", false)
            : new EnvRow(env.Name, $"from {env.Source}" + (env.Optional ? " (optional)" : ""), true);
    }
}

public sealed record ProbeRow(string Kind, string Description);

public sealed record ContainerDescription(
    string Name,
    string Role,
    string Image,
    string? ImageId,
    string Ports,
    string Command,
    ContainerStateView? State,
    ContainerStateView? LastState,
    bool Ready,
    int RestartCount,
    string Requests,
    string Limits,
    IReadOnlyList<EnvRow> Env,
    IReadOnlyList<string> EnvFrom,
    IReadOnlyList<ProbeRow> Probes,
    IReadOnlyList<string> Mounts);

public sealed record ConditionRow(string Type, string Status, string Reason, string Since);

public sealed record EventRow(string Type, string Reason, string Age, int Count, string From, string Message)
{
    public bool IsWarning => Type == "Warning";

    /// <summary>Events about this pod (by uid when both sides have one, else by name), newest first.</summary>
    public static IReadOnlyList<EventRow> ForPod(PodSnapshot pod, IEnumerable<EventSnapshot> events, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(events);
        return
        [
            .. events
                .Where(e => e.InvolvedObject.Kind == "Pod" && IsAbout(e.InvolvedObject, pod))
                .OrderByDescending(e => e.LastSeen ?? DateTimeOffset.MinValue)
                .Select(e => Of(e, now)),
        ];
    }

    /// <summary>kubectl's AGE column for an event: "5m", or "5m (x12 over 20m)" for a repeated one.</summary>
    public static string AgeText(EventSnapshot e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        var age = TimeText.Duration(e.LastSeen, now);
        return e.Count > 1 && e.FirstTimestamp is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{age} (x{e.Count} over {TimeText.Duration(e.FirstTimestamp, now)})")
            : age;
    }

    private static EventRow Of(EventSnapshot e, DateTimeOffset now) =>
        new(e.Type, e.Reason, AgeText(e, now), e.Count, e.SourceComponent ?? "", e.Message);

    private static bool IsAbout(ObjectReferenceSnapshot reference, PodSnapshot pod) =>
        !string.IsNullOrEmpty(reference.Uid) && !string.IsNullOrEmpty(pod.Uid)
            ? reference.Uid == pod.Uid
            : reference.Name == pod.Name && (string.IsNullOrEmpty(reference.Namespace) || reference.Namespace == pod.Namespace);
}

public sealed record VolumeRow(string Name, string Kind, string Source);

/// <summary>What the describe panel shows for one pod: <c>kubectl describe pod</c>, arranged to be read during an incident.</summary>
public sealed record PodDescription(
    string Name,
    IReadOnlyList<DescribeField> Fields,
    IReadOnlyList<ConditionRow> Conditions,
    IReadOnlyList<ContainerDescription> Containers,
    IReadOnlyList<VolumeRow> Volumes,
    IReadOnlyList<EventRow> Events)
{
    public static PodDescription From(PodSnapshot pod, IEnumerable<EventSnapshot> events, IEnumerable<PvcSnapshot> claims, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(claims);
        var fields = new List<DescribeField>
        {
            new("Namespace", pod.Namespace),
            new("Phase", pod.Phase.ToString() + (string.IsNullOrEmpty(pod.Reason) ? "" : $" ({pod.Reason})")),
            new("Status", PodStatusFormatter.Status(pod)),
            new("Node", pod.NodeName ?? "<none>"),
            new("Started", TimeText.StampAgo(pod.StartTime, now)),
            new("Created", TimeText.StampAgo(pod.CreationTimestamp, now)),
            new("Controlled by", pod.Owner is null ? "<none>" : $"{pod.Owner.Kind}/{pod.Owner.Name}"),
            new("IP", pod.PodIP ?? "<none>"),
            new("QoS class", pod.QosClass ?? "<none>"),
            new("Service account", pod.ServiceAccountName ?? "<none>"),
            new("Restart policy", pod.RestartPolicy ?? "Always"),
            new("Labels", pod.Labels.Count == 0 ? "<none>" : string.Join(", ", pod.Labels.Select(l => $"{l.Key}={l.Value}"))),
        };
        if (!string.IsNullOrEmpty(pod.Message))
        {
            fields.Add(new("Message", pod.Message));
        }

        if (pod.DeletionTimestamp is not null)
        {
            fields.Add(new("Terminating since", TimeText.StampAgo(pod.DeletionTimestamp, now)));
        }

        var conditions = pod.Conditions
            .Select(c => new ConditionRow(c.Type, c.Status.ToString(), c.Reason ?? "", TimeText.Ago(c.LastTransitionTime, now)))
            .ToList();
        var containers = pod.InitContainers.Select(c => Describe(c, c.IsSidecar ? "sidecar" : "init", now))
            .Concat(pod.Containers.Select(c => Describe(c, "container", now)))
            .ToList();
        var claimsByName = claims.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var volumes = pod.Volumes.Select(v => new VolumeRow(v.Name, v.Kind, VolumeSource(v, claimsByName))).ToList();
        return new PodDescription(pod.Name, fields, conditions, containers, volumes, EventRow.ForPod(pod, events, now));
    }

    /// <summary>"cpu=100m, memory=256Mi", or "&lt;none&gt;".</summary>
    public static string Quantities(StringMap map) => ContainerResources.Quantities(map);

    private static ContainerDescription Describe(ContainerSnapshot c, string role, DateTimeOffset now)
    {
        List<ProbeRow> probes = [];
        if (c.LivenessProbe is { } liveness)
        {
            probes.Add(new("Liveness", liveness.Describe()));
        }

        if (c.ReadinessProbe is { } readiness)
        {
            probes.Add(new("Readiness", readiness.Describe()));
        }

        if (c.StartupProbe is { } startup)
        {
            probes.Add(new("Startup", startup.Describe()));
        }

        var command = string.Join(" ", c.Command.Concat(c.Args));
        return new ContainerDescription(
            c.Name,
            role,
            c.Image,
            c.ImageId,
            c.Ports.Count == 0 ? "<none>" : string.Join(", ", c.Ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.ContainerPort}/{p.Protocol}") + (p.Name is null ? "" : $" ({p.Name})"))),
            command.Length == 0 ? "<image default>" : command,
            ContainerStateView.From(c.State, now),
            ContainerStateView.From(c.LastState, now),
            c.Ready,
            c.RestartCount,
            Quantities(c.Resources.Requests),
            Quantities(c.Resources.Limits),
            [.. c.Env.Select(EnvRow.From)],
            [.. c.EnvFrom.Select(e => "from " + e.Description + (e.Optional ? " (optional)" : ""))],
            probes,
            [.. c.VolumeMounts.Select(m => $"{m.MountPath} from {m.Name}" + (m.ReadOnly ? " (ro)" : " (rw)") + (m.SubPath is null ? "" : $" subPath {m.SubPath}"))]);
    }

    private static string VolumeSource(PodVolumeSnapshot volume, Dictionary<string, PvcSnapshot> claims)
    {
        if (volume.ClaimName is { } claimName)
        {
            return claims.TryGetValue(claimName, out var claim)
                ? $"claim {claimName} ({claim.Phase}, {claim.Capacity ?? claim.RequestedStorage ?? "size unknown"})"
                : $"claim {claimName}";
        }

        return volume.Source ?? "";
    }
}
