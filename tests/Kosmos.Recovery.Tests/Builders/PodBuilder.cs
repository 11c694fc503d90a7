using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Tests.Builders;

/// <summary>
/// Builds a pod of agent <c>agent</c> in namespace kosmos. Containers get status positions in the order they
/// are added unless <see cref="StatusOrder"/> says otherwise.
/// </summary>
internal sealed class PodBuilder
{
    private readonly List<ContainerSnapshot> _containers = [];
    private readonly List<ContainerSnapshot> _initContainers = [];
    private readonly List<ConditionSnapshot> _conditions = [];
    private PodSnapshot _pod;
    private string[]? _statusOrder;

    private PodBuilder(string name, string agent)
    {
        _pod = new PodSnapshot
        {
            Namespace = "kosmos",
            Name = name,
            Uid = "uid-" + name,
            Labels = StringMap.Of(("app", agent)),
            Phase = PodPhase.Running,
            CreationTimestamp = Clock.T0,
            StartTime = Clock.T0,
            NodeName = "node-1",
            RestartPolicy = "Always",
            Owner = new OwnerSnapshot("ReplicaSet", agent + "-5d8f7c9b6d"),
        };
    }

    public static PodBuilder Pod(string name = "agent-5d8f7c9b6d-x2x7q", string agent = "agent") => new(name, agent);

    public PodBuilder Phase(PodPhase phase) => Change(p => p with { Phase = phase });

    public PodBuilder Reason(string reason, string? message = null) => Change(p => p with { Reason = reason, Message = message });

    public PodBuilder CreatedAt(DateTimeOffset at) => Change(p => p with { CreationTimestamp = at, StartTime = at });

    public PodBuilder DeletedAt(DateTimeOffset at) => Change(p => p with { DeletionTimestamp = at, DeletionGracePeriodSeconds = 30 });

    public PodBuilder Change(Func<PodSnapshot, PodSnapshot> change)
    {
        _pod = change(_pod);
        return this;
    }

    public PodBuilder Container(ContainerSnapshot container)
    {
        _containers.Add(container);
        return this;
    }

    public PodBuilder Init(ContainerSnapshot container)
    {
        _initContainers.Add(container);
        return this;
    }

    public PodBuilder Condition(
        string type,
        ConditionStatus status,
        string? reason = null,
        string? message = null,
        DateTimeOffset? at = null)
    {
        _conditions.Add(new ConditionSnapshot(type, status, reason, message, at ?? Clock.T0));
        return this;
    }

    public PodBuilder Ready(bool ready = true, DateTimeOffset? since = null) =>
        Condition(
            ConditionTypes.Ready,
            ready ? ConditionStatus.True : ConditionStatus.False,
            ready ? null : "ContainersNotReady",
            at: since);

    public PodBuilder Unschedulable(string message, DateTimeOffset? since = null)
    {
        Change(p => p with { Phase = PodPhase.Pending, NodeName = null, StartTime = null });
        return Condition(ConditionTypes.PodScheduled, ConditionStatus.False, KubeReasons.Unschedulable, message, since);
    }

    /// <summary>The order of <c>containerStatuses</c> (kubelet sorts them by name), which decides kubectl's STATUS.</summary>
    public PodBuilder StatusOrder(params string[] names)
    {
        _statusOrder = names;
        return this;
    }

    public PodSnapshot Build() =>
        _pod with
        {
            Containers = Number(_containers, _statusOrder),
            InitContainers = Number(_initContainers, null),
            Conditions = _conditions.ToValueList(),
        };

    private static ValueList<ContainerSnapshot> Number(List<ContainerSnapshot> containers, string[]? order) =>
        containers
            .Select((c, i) => c.HasStatus
                ? c with { StatusIndex = order is null ? i : Array.IndexOf(order, c.Name) }
                : c)
            .ToValueList();
}
