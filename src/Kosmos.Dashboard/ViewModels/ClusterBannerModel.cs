using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

public enum BannerSeverity
{
    Ok,
    Syncing,
    Degraded,
}

/// <summary>The cluster banner's text: which cluster, whether it is the simulator, and whether the dashboard's view of it can be trusted.</summary>
public sealed record ClusterBannerModel(
    string ClusterName,
    bool IsSimulated,
    string Server,
    BannerSeverity Severity,
    string SyncText,
    IReadOnlyList<string> DegradedKinds)
{
    public string ClusterKind => IsSimulated ? "simulated cluster" : "real cluster";

    /// <summary>
    /// Whether the name says more than the kind does: the embedded simulator is named "simulated", and "Cluster simulated
    /// SIMULATED CLUSTER" says one thing three times.
    /// </summary>
    public bool ShowName => !(IsSimulated && string.Equals(ClusterName, "simulated", StringComparison.OrdinalIgnoreCase));

    public static ClusterBannerModel From(ClusterStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        var degraded = status.Degraded
            .Select(k => $"{k.Kind} in {k.Namespace}: {(string.IsNullOrWhiteSpace(k.Reason) ? "no reason given" : k.Reason)}"
                + (k.LastEventAt is null ? "" : $" (last event {TimeText.Ago(k.LastEventAt, now)})"))
            .ToList();
        var syncing = status.Kinds.Count(k => k.State == KindSyncState.Syncing);

        var (severity, text) = degraded.Count > 0
            ? (BannerSeverity.Degraded, $"degraded: {degraded.Count} of {status.Kinds.Count} resource kinds are not up to date")
            : !status.IsSynced
                ? (BannerSeverity.Syncing, syncing > 0 ? $"syncing ({syncing} of {status.Kinds.Count} resource kinds still loading)" : "syncing")
                : (BannerSeverity.Ok, "synced");
        return new ClusterBannerModel(status.ClusterName, status.IsSimulated, status.Server, severity, text, degraded);
    }

    /// <summary>The namespaces the board watches, as the empty state names them ("kosmos" when the status does not say).</summary>
    public static string Namespaces(ClusterStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var names = status.Kinds.Select(k => k.Namespace).Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "kosmos" : string.Join(", ", names);
    }
}
