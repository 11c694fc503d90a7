using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Runbook;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>One container's requests and limits as the Deployment's pod template has them now (null: not set).</summary>
public sealed record ContainerResourcesRow(string Name, string? MemoryRequest, string? MemoryLimit, string? CpuRequest, string? CpuLimit, string? OomKilledIn);

/// <summary>
/// The values a person edits in the Set resources dialog: which container, and the memory/CPU limit and request to set
/// (empty: leave as is). Pre-filled when the agent was OOM-killed with the one memory rule the Runbook tab and the API use
/// (<see cref="MemoryAdvice"/>: the runbook's 2Gi/1Gi unless the evidence shows that is not enough).
/// Holds no rules of its own: the server's validator (<see cref="IActionExecutor.Validate"/>) judges the values. Not thread-safe.
/// </summary>
public sealed class SetResourcesForm : IActionForm
{
    private SetResourcesForm(IReadOnlyList<ContainerResourcesRow> containers) => Containers = containers;

    public IReadOnlyList<ContainerResourcesRow> Containers { get; }

    public string? Container { get; set; }

    public string? MemoryLimit { get; set; }

    public string? MemoryRequest { get; set; }

    public string? CpuLimit { get; set; }

    public string? CpuRequest { get; set; }

    /// <summary>Why the values are pre-filled, when they are (the agent was OOM-killed).</summary>
    public string? Prefill { get; private set; }

    public SetResourcesRequest Request => new(Container, MemoryLimit, MemoryRequest, CpuLimit, CpuRequest);

    /// <summary>The fields in the order the current-values table shows them: request before limit, memory before CPU.</summary>
    public static IReadOnlyList<ResourceField> FieldOrder { get; } =
        [ResourceField.MemoryRequest, ResourceField.MemoryLimit, ResourceField.CpuRequest, ResourceField.CpuLimit];

    public ActionRequest ToActionRequest() => Request.ToActionRequest();

    // The container is chosen for the person (the first, or the OOM-killed one): only a typed value counts as entered.
    public bool IsEmpty => !Request.Values.Any();

    public string? Get(ResourceField field) => Request.Get(field);

    public void Set(ResourceField field, string? value)
    {
        ArgumentNullException.ThrowIfNull(field);
        switch (field.Key)
        {
            case "limits.memory": MemoryLimit = value; break;
            case "requests.memory": MemoryRequest = value; break;
            case "limits.cpu": CpuLimit = value; break;
            default: CpuRequest = value; break;
        }
    }

    public static SetResourcesForm From(AgentDetail? detail)
    {
        var pods = detail?.Pods ?? [];
        var rows = (detail?.Deployment?.Template.Containers ?? [])
            .Select(c => new ContainerResourcesRow(c.Name, c.Resources.MemoryRequest, c.Resources.MemoryLimit, c.Resources.CpuRequest, c.Resources.CpuLimit,
                SetResourcesRules.OomKilledIn(pods, c.Name)))
            .ToList();
        var form = new SetResourcesForm(rows) { Container = rows.FirstOrDefault()?.Name };
        var oom = detail is { Summary.Health.RunbookSection: RunbookSection.OutOfMemory } ? MemoryAdvice.Suggest(detail) : [];
        if (oom.FirstOrDefault(s => !s.AlreadySet) is { } suggestion)
        {
            form.Container = suggestion.Container;
            form.MemoryLimit = suggestion.Limit;
            form.MemoryRequest = suggestion.Request;
            form.Prefill = $"Pre-filled with the runbook guidance's suggestion: {suggestion.Why}.";
        }
        else if (detail is { Summary.Health.RunbookSection: RunbookSection.Pending } && CpuAdvice.Suggest(detail) is [var cpu, ..])
        {
            form.Container = cpu.Container;
            form.CpuRequest = cpu.Request;
            form.CpuLimit = cpu.Limit;
            form.Prefill = $"Pre-filled with the runbook guidance's suggestion: {cpu.Why}.";
        }

        return form;
    }
}
