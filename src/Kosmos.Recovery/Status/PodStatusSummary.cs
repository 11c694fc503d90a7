using System.Globalization;

namespace Kosmos.Recovery.Status;

/// <summary>The READY, STATUS and RESTARTS columns of <c>kubectl get pods</c> for one pod, plus its last termination.</summary>
public sealed record PodStatusSummary(
    string Status,
    int ReadyContainers,
    int TotalContainers,
    int Restarts,
    DateTimeOffset? LastRestartAt,
    ContainerTermination? LastTermination)
{
    /// <summary>The READY column, e.g. <c>1/2</c>.</summary>
    public string Ready => string.Create(CultureInfo.InvariantCulture, $"{ReadyContainers}/{TotalContainers}");

    /// <summary>The RESTARTS column: <c>3</c>, or <c>3 (5m ago)</c> when the time of the last restart is known.</summary>
    public string FormatRestarts(DateTimeOffset now) =>
        Restarts != 0 && LastRestartAt is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{Restarts} ({KubeDuration.Since(LastRestartAt, now)} ago)")
            : Restarts.ToString(CultureInfo.InvariantCulture);
}
