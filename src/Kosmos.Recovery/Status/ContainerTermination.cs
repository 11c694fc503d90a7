using System.Globalization;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Status;

/// <summary>
/// The most recent time a container of a pod stopped: either its current state (it is terminated now)
/// or its last state (it stopped and was restarted).
/// </summary>
public sealed record ContainerTermination(
    string ContainerName,
    bool IsInitContainer,
    bool IsCurrentState,
    string? Reason,
    int ExitCode,
    int? Signal,
    string? Message,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    public bool IsOomKilled => string.Equals(Reason, KubeReasons.OomKilled, StringComparison.Ordinal);

    /// <summary>E.g. <c>OOMKilled, exit code 137, 4m ago</c>.</summary>
    public string Describe(DateTimeOffset now)
    {
        var reason = string.IsNullOrEmpty(Reason) ? "Terminated" : Reason;
        var signal = Signal is > 0 ? string.Create(CultureInfo.InvariantCulture, $", signal {Signal}") : "";
        var when = FinishedAt is null ? "" : $", {KubeDuration.Since(FinishedAt, now)} ago";
        return string.Create(CultureInfo.InvariantCulture, $"{reason}, exit code {ExitCode}{signal}{when}");
    }

    internal static ContainerTermination From(ContainerSnapshot container, bool isInit, bool isCurrent, ContainerState.Terminated t) =>
        new(container.Name, isInit, isCurrent, t.Reason, t.ExitCode, t.Signal, t.Message, t.StartedAt, t.FinishedAt);
}
