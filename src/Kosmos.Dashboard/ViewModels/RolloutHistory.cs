using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.ViewModels;

public enum ChangeKind
{
    Image,
    Resources,
    Env,
    Restart,
    ContainerAdded,
    ContainerRemoved,
}

/// <summary>One difference between a revision and the one before it, e.g. <c>agent limits.memory: 512Mi → 1Gi</c>.</summary>
public sealed record RolloutChange(ChangeKind Kind, string Container, string Subject, string? Before, string? After)
{
    public const string Absent = "(none)";

    public string Text
    {
        get
        {
            var where = Container.Length == 0 ? "" : Container + " ";
            return Kind switch
            {
                ChangeKind.ContainerAdded => $"container {Container} added ({After})",
                ChangeKind.ContainerRemoved => $"container {Container} removed (was {Before})",
                _ => $"{where}{Subject}: {Before ?? Absent} → {After ?? Absent}",
            };
        }
    }
}

public sealed record ContainerSpecView(string Name, string Image, string Resources);

/// <summary>One revision of the agent's Deployment (one ReplicaSet) and what changed since the revision before it.</summary>
public sealed record RolloutRevision(
    long? Revision,
    string ReplicaSetName,
    DateTimeOffset? Created,
    bool IsCurrent,
    int ReadyReplicas,
    int DesiredReplicas,
    DateTimeOffset? RestartedAt,
    IReadOnlyList<ContainerSpecView> Containers,
    IReadOnlyList<RolloutChange> Changes,
    bool IsOldest);

/// <summary>Rollout history from ReplicaSets, like <c>kubectl rollout history</c> but with the diff spelled out.</summary>
public static class RolloutHistory
{
    /// <summary>The revisions of <paramref name="deployment"/> (or every ReplicaSet given, without one), newest first.</summary>
    public static IReadOnlyList<RolloutRevision> Build(IEnumerable<ReplicaSetSnapshot> replicaSets, DeploymentSnapshot? deployment)
    {
        ArgumentNullException.ThrowIfNull(replicaSets);
        var sets = replicaSets
            .Where(rs => deployment is null || rs.OwnerDeployment is null || rs.OwnerDeployment == deployment.Name)
            .OrderByDescending(rs => rs.Revision ?? long.MinValue)
            .ThenByDescending(rs => rs.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ToList();

        var revisions = new List<RolloutRevision>(sets.Count);
        for (var i = 0; i < sets.Count; i++)
        {
            var rs = sets[i];
            var previous = i + 1 < sets.Count ? sets[i + 1] : null;
            var isCurrent = deployment?.Revision is { } current ? rs.Revision == current : i == 0;
            revisions.Add(new RolloutRevision(
                rs.Revision,
                rs.Name,
                rs.CreationTimestamp,
                isCurrent,
                rs.ReadyReplicas,
                rs.DesiredReplicas,
                rs.RestartedAt,
                [.. rs.Template.Containers.Select(c => new ContainerSpecView(c.Name, c.Image, ResourcesText(c.Resources)))],
                previous is null ? [] : Diff(previous.Template, rs.Template),
                previous is null));
        }

        return revisions;
    }

    /// <summary>What changed from <paramref name="before"/> to <paramref name="after"/>: images, resources, environment, restarts, containers.</summary>
    public static IReadOnlyList<RolloutChange> Diff(PodTemplateSnapshot before, PodTemplateSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<RolloutChange>();
        if (before.RestartedAt != after.RestartedAt)
        {
            changes.Add(new RolloutChange(ChangeKind.Restart, "", "restartedAt", Stamp(before.RestartedAt), Stamp(after.RestartedAt)));
        }

        var oldContainers = before.InitContainers.Concat(before.Containers).ToDictionary(c => c.Name, StringComparer.Ordinal);
        var newContainers = after.InitContainers.Concat(after.Containers).ToList();
        foreach (var container in newContainers)
        {
            if (!oldContainers.Remove(container.Name, out var old))
            {
                changes.Add(new RolloutChange(ChangeKind.ContainerAdded, container.Name, "container", null, container.Image));
                continue;
            }

            if (old.Image != container.Image)
            {
                changes.Add(new RolloutChange(ChangeKind.Image, container.Name, "image", old.Image, container.Image));
            }

            changes.AddRange(DiffMap(container.Name, "requests", old.Resources.Requests, container.Resources.Requests, ChangeKind.Resources));
            changes.AddRange(DiffMap(container.Name, "limits", old.Resources.Limits, container.Resources.Limits, ChangeKind.Resources));
            changes.AddRange(DiffEnv(container.Name, old, container));
        }

        changes.AddRange(oldContainers.Values.Select(c => new RolloutChange(ChangeKind.ContainerRemoved, c.Name, "container", c.Image, null)));
        return changes;
    }

    public static string ResourcesText(ContainerResources resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return resources.Text;
    }

    private static IEnumerable<RolloutChange> DiffMap(string container, string prefix, StringMap before, StringMap after, ChangeKind kind)
    {
        foreach (var key in before.Keys.Union(after.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(key);
            var now = after.GetValueOrDefault(key);
            if (old != now)
            {
                yield return new RolloutChange(kind, container, $"{prefix}.{key}", old, now);
            }
        }
    }

    private static IEnumerable<RolloutChange> DiffEnv(string container, ContainerSnapshot before, ContainerSnapshot after)
    {
        // Compared by what the page may show: a literal, or where a value comes from. A secret's value is never here to compare.
        var old = before.Env.GroupBy(e => e.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => EnvRow.From(g.Last()).Value, StringComparer.Ordinal);
        var now = after.Env.GroupBy(e => e.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => EnvRow.From(g.Last()).Value, StringComparer.Ordinal);
        foreach (var name in old.Keys.Union(now.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var a = old.GetValueOrDefault(name);
            var b = now.GetValueOrDefault(name);
            if (a != b)
            {
                yield return new RolloutChange(ChangeKind.Env, container, $"env {name}", a, b);
            }
        }

        var oldFrom = before.EnvFrom.Select(e => e.Description).ToHashSet(StringComparer.Ordinal);
        var newFrom = after.EnvFrom.Select(e => e.Description).ToHashSet(StringComparer.Ordinal);
        foreach (var removed in oldFrom.Except(newFrom).Order(StringComparer.Ordinal))
        {
            yield return new RolloutChange(ChangeKind.Env, container, "envFrom", removed, null);
        }

        foreach (var added in newFrom.Except(oldFrom).Order(StringComparer.Ordinal))
        {
            yield return new RolloutChange(ChangeKind.Env, container, "envFrom", null, added);
        }
    }

    private static string? Stamp(DateTimeOffset? at) => at is null ? null : TimeText.Stamp(at);
}
