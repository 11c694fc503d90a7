using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Quantities;

namespace Kosmos.Recovery.Actions;

/// <summary>One requests/limits field of a container: <c>limits.memory</c>, <c>requests.memory</c>, <c>limits.cpu</c>, <c>requests.cpu</c>.</summary>
public sealed record ResourceField(string Kind, string Resource)
{
    public static ResourceField MemoryLimit { get; } = new("limits", "memory");

    public static ResourceField MemoryRequest { get; } = new("requests", "memory");

    public static ResourceField CpuLimit { get; } = new("limits", "cpu");

    public static ResourceField CpuRequest { get; } = new("requests", "cpu");

    public static IReadOnlyList<ResourceField> All { get; } = [MemoryLimit, MemoryRequest, CpuLimit, CpuRequest];

    /// <summary>The request key and the path under <c>resources</c>: <c>limits.memory</c>.</summary>
    public string Key => Kind + "." + Resource;

    /// <summary>How a person reads it: "memory limit", "CPU request".</summary>
    public string Label => (Resource == "cpu" ? "CPU" : Resource) + " " + (Kind == "limits" ? "limit" : "request");

    public bool IsLimit => Kind == "limits";

    public string? ValueIn(ContainerResources resources) =>
        (IsLimit ? resources.Limits : resources.Requests).GetValueOrDefault(Resource);

    public override string ToString() => Key;
}

/// <summary>
/// What <c>kubectl set resources deployment &lt;agent&gt; [-c container] --limits=... --requests=...</c> is given: the
/// container (null: every container, as kubectl does without <c>-c</c>) and the values to set (null: leave as is).
/// Values are kept as the person typed them, trimmed; empty is "leave as is".
/// </summary>
public sealed record SetResourcesRequest(string? Container, string? MemoryLimit, string? MemoryRequest, string? CpuLimit, string? CpuRequest)
{
    public const string ContainerKey = "container";

    /// <summary>The values given, by field, in <see cref="ResourceField.All"/> order.</summary>
    public IEnumerable<(ResourceField Field, string Value)> Values
    {
        get
        {
            foreach (var resourceField in ResourceField.All)
            {
                if (Get(resourceField) is { } value)
                {
                    yield return (resourceField, value);
                }
            }
        }
    }

    public string? Get(ResourceField field) => Clean(field.Key switch
    {
        "limits.memory" => MemoryLimit,
        "requests.memory" => MemoryRequest,
        "limits.cpu" => CpuLimit,
        _ => CpuRequest,
    });

    public ActionRequest ToActionRequest()
    {
        var entries = Values.Select(v => (v.Field.Key, v.Value)).ToList();
        if (Clean(Container) is { } container)
        {
            entries.Add((ContainerKey, container));
        }

        return new ActionRequest(StringMap.Of([.. entries]));
    }

    public static SetResourcesRequest From(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var v = request.Values;
        return new(v.GetValueOrDefault(ContainerKey), v.GetValueOrDefault(ResourceField.MemoryLimit.Key), v.GetValueOrDefault(ResourceField.MemoryRequest.Key),
            v.GetValueOrDefault(ResourceField.CpuLimit.Key), v.GetValueOrDefault(ResourceField.CpuRequest.Key));
    }

    /// <summary>The keys an <see cref="ActionRequest"/> of this action may carry.</summary>
    public static IReadOnlySet<string> Keys { get; } = new HashSet<string>([ContainerKey, .. ResourceField.All.Select(f => f.Key)], StringComparer.Ordinal);

    /// <summary>The kubectl command that sets the same values.</summary>
    public string Kubectl(AgentRef target)
    {
        var command = $"kubectl set resources deployment {target.Name} -n {target.Namespace}";
        if (Clean(Container) is { } container)
        {
            command += " -c " + container;
        }

        foreach (var group in Values.GroupBy(v => v.Field.Kind))
        {
            command += $" --{group.Key}=" + string.Join(',', group.Select(v => $"{v.Field.Resource}={v.Value}"));
        }

        return command;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>The largest values a person may set through the dashboard; anything above is refused as a likely typo.</summary>
public sealed record ResourceBounds(Quantity MaxMemory, Quantity MaxCpu)
{
    public static ResourceBounds Default { get; } = new(Quantity.Parse("64Gi"), Quantity.Parse("64"));
}

/// <summary>One field that a set-resources request changes in one container: before (null: not set) → after.</summary>
public sealed record ResourceFieldChange(string Container, ResourceField Field, string? Before, string After)
{
    public override string ToString() => $"{Container} {Field.Key}: {Before ?? ChangeLine.Absent} → {After}";
}

/// <summary>A validated set-resources request: the changes it makes (empty when invalid), the errors and warnings.</summary>
public sealed record SetResourcesCheck(ActionValidation Validation, ValueList<ResourceFieldChange> Changes);

/// <summary>
/// The rules a set-resources request must pass before anything is sent to the cluster, as pure functions of the pod template
/// (what would change) and the pods (the usage evidence: a container OOM-killed at its limit needed more than it). Quantities
/// are read with <see cref="Quantity"/>, the kubectl-conformant grammar, and compared by value (<c>1024Mi</c> = <c>1Gi</c>).
/// </summary>
public static class SetResourcesRules
{
    public static SetResourcesCheck Check(AgentRef target, SetResourcesRequest request, PodTemplateSnapshot template, IEnumerable<PodSnapshot> pods,
        ResourceBounds bounds, IEnumerable<string>? unknownKeys = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(bounds);
        var errors = new List<string>();
        var warnings = new List<string>();
        foreach (var key in unknownKeys ?? [])
        {
            errors.Add($"'{key}' is not a value set resources takes (it takes: {string.Join(", ", SetResourcesRequest.Keys.Order(StringComparer.Ordinal))})");
        }

        var values = request.Values.ToList();
        if (values.Count == 0)
        {
            errors.Add("Give at least one value to set: a memory or CPU limit or request");
        }

        var parsed = new Dictionary<ResourceField, Quantity>();
        foreach (var (field, text) in values)
        {
            if (!Quantity.TryParse(text, out var quantity, out var error))
            {
                errors.Add($"{field.Label} '{Quantity.Excerpt(text)}' is not a valid quantity: {error}");
            }
            else if (quantity.Sign <= 0)
            {
                errors.Add($"{field.Label} must be more than zero (got '{text}')");
            }
            else if (quantity > (field.Resource == "memory" ? bounds.MaxMemory : bounds.MaxCpu))
            {
                errors.Add($"{field.Label} {text} is more than the largest this dashboard sets ({(field.Resource == "memory" ? bounds.MaxMemory : bounds.MaxCpu)}); set it with kubectl if it is really meant");
            }
            else
            {
                parsed[field] = quantity;
            }
        }

        var containers = template.Containers;
        var named = request.Container?.Trim();
        var targets = string.IsNullOrEmpty(named) ? containers.ToList() : containers.Where(c => c.Name == named).ToList();
        if (targets.Count == 0)
        {
            errors.Add(string.IsNullOrEmpty(named)
                ? $"Deployment {target} has no containers"
                : $"Deployment {target} has no container '{named}' (its containers: {string.Join(", ", containers.Select(c => c.Name))})");
        }

        if (errors.Count > 0)
        {
            return new SetResourcesCheck(new ActionValidation([.. errors], [.. warnings]), ValueList<ResourceFieldChange>.Empty);
        }

        var changes = new List<ResourceFieldChange>();
        foreach (var container in targets)
        {
            foreach (var resource in new[] { "memory", "cpu" })
            {
                var limitField = ResourceField.All.First(f => f.IsLimit && f.Resource == resource);
                var requestField = ResourceField.All.First(f => !f.IsLimit && f.Resource == resource);
                var limit = parsed.TryGetValue(limitField, out var l) ? l : Quantity.Decode(limitField.ValueIn(container.Resources));
                var requested = parsed.TryGetValue(requestField, out var r) ? r : Quantity.Decode(requestField.ValueIn(container.Resources));
                if (limit is { } max && requested is { } min && min > max && (parsed.ContainsKey(limitField) || parsed.ContainsKey(requestField)))
                {
                    errors.Add($"Container {container.Name}: {requestField.Label} {min} would be more than its {limitField.Label} {max}" +
                        (parsed.ContainsKey(limitField) ? (parsed.ContainsKey(requestField) ? "" : " (the request is the current one: set a request too)") : " (the current limit)"));
                }
            }

            foreach (var (field, quantity) in parsed)
            {
                var before = field.ValueIn(container.Resources);
                if (Quantity.Decode(before) is { } current && current == quantity)
                {
                    continue;
                }

                changes.Add(new ResourceFieldChange(container.Name, field, before, request.Get(field)!));
            }

            if (parsed.TryGetValue(ResourceField.MemoryLimit, out var newLimit))
            {
                var currentLimit = Quantity.Decode(container.Resources.MemoryLimit);

                // The limit the killed pod really ran with, which may be older than the template's.
                if (OomKill(pods, container.Name) is { } killed && Quantity.Decode(killed.Container.Resources.MemoryLimit ?? container.Resources.MemoryLimit) is { } killedAt
                    && newLimit <= killedAt)
                {
                    warnings.Add($"Container {container.Name} was OOMKilled at a memory limit of {killedAt} (pod {killed.Pod.Name}): it needs more than that, so a limit of {newLimit} will likely be OOMKilled again");
                }
                else if (currentLimit is { } was && newLimit < was)
                {
                    warnings.Add($"Container {container.Name}'s memory limit goes down from {was} to {newLimit}: a pod that uses more is OOMKilled");
                }
            }
        }

        if (errors.Count == 0 && changes.Count == 0)
        {
            errors.Add($"Nothing would change: {string.Join("; ", targets.Select(c => $"container {c.Name} already has " + string.Join(", ", values.Select(v => $"{v.Field.Key}={v.Field.ValueIn(c.Resources)}"))))}");
        }

        return new SetResourcesCheck(new ActionValidation([.. errors], [.. warnings]),
            errors.Count > 0 ? ValueList<ResourceFieldChange>.Empty : [.. changes]);
    }

    /// <summary>Checks a raw <see cref="ActionRequest"/> against the agent as the board shows it.</summary>
    public static SetResourcesCheck Check(AgentRef target, ActionRequest request, AgentDetail detail, ResourceBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(detail);
        var unknown = request.Values.Keys.Where(k => !SetResourcesRequest.Keys.Contains(k));
        return Check(target, SetResourcesRequest.From(request), detail.Deployment?.Template ?? PodTemplateSnapshot.Empty, detail.Pods, bounds, unknown);
    }

    /// <summary>Where the agent's container was last OOM-killed ("pod x"), or null if none of its pods shows it.</summary>
    public static string? OomKilledIn(IEnumerable<PodSnapshot> pods, string container) =>
        OomKill(pods, container) is { } kill ? "pod " + kill.Pod.Name : null;

    /// <summary>The first pod (and its container, with the resources it ran with) whose container was OOM-killed, or null.</summary>
    public static (PodSnapshot Pod, ContainerSnapshot Container)? OomKill(IEnumerable<PodSnapshot> pods, string container) =>
        (pods ?? []).SelectMany(p => p.Containers.Where(c => c.Name == container && IsOomKilled(c)).Select(c => (p, c))).FirstOrDefault() is { p: not null } found
            ? found
            : null;

    public static bool IsOomKilled(ContainerSnapshot container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.State is ContainerState.Terminated { Reason: KubeReasons.OomKilled }
            || container.LastState is ContainerState.Terminated { Reason: KubeReasons.OomKilled };
    }
}

/// <summary>
/// How the set-resources action checks and verifies: the largest values it sets, and how long after the rollout it watches
/// an agent that was OOM-killed for a new OOMKilled termination before it calls the change verified.
/// </summary>
public sealed record SetResourcesSettings(ResourceBounds Bounds, TimeSpan OomWatch)
{
    public static SetResourcesSettings Default { get; } = new(ResourceBounds.Default, TimeSpan.FromSeconds(60));
}
