using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

public enum BannerSeverity
{
    Ok,
    Syncing,
    Degraded,

    /// <summary>A kind's watch has been failing for more than a few seconds: what is shown of it may be out of date.</summary>
    Stale,
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
    /// <summary>"pods in kosmos: last update 12s ago (…the server's error…)" per stale kind.</summary>
    public IReadOnlyList<string> StaleKinds { get; init; } = [];

    /// <summary>True while some kind is failing: the view should re-render every second so that "ago" keeps counting.</summary>
    public bool NeedsTicking { get; init; }

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
        var stale = status.Stale.Select(k => StaleLine(k, now)).ToList();

        var (severity, text) = stale.Count > 0
            ? (BannerSeverity.Stale, $"stale: {stale.Count} of {status.Kinds.Count} resource kinds are not updating, last update {TimeText.Ago(OldestUpdate(status), now)}")
            : degraded.Count > 0
            ? (BannerSeverity.Degraded, $"degraded: {degraded.Count} of {status.Kinds.Count} resource kinds are not up to date")
            : !status.IsSynced
                ? (BannerSeverity.Syncing, syncing > 0 ? $"syncing ({syncing} of {status.Kinds.Count} resource kinds still loading)" : "syncing")
                : (BannerSeverity.Ok, "synced");
        return new ClusterBannerModel(status.ClusterName, status.IsSimulated, status.Server, severity, text, degraded)
        {
            StaleKinds = stale,
            NeedsTicking = status.AnyFailing,
        };
    }

    /// <summary>The stale kinds among <paramref name="kinds"/> (e.g. pods and deployments for an agent page), as one sentence, or null when none is. Pure.</summary>
    public static string? StaleNotice(ClusterStatus status, DateTimeOffset now, params string[] kinds)
    {
        ArgumentNullException.ThrowIfNull(status);
        var stale = status.Stale.Where(k => kinds.Length == 0 || kinds.Contains(k.Kind, StringComparer.Ordinal)).ToList();
        return stale.Count == 0
            ? null
            : $"May be out of date: {string.Join(", ", stale.Select(k => k.Kind).Distinct(StringComparer.Ordinal))} not updating, last update {TimeText.Ago(stale.Min(k => k.LastUpdateAt ?? k.FailingSince), now)}.";
    }

    private static string StaleLine(KindStatus k, DateTimeOffset now) =>
        $"{k.Kind} in {k.Namespace}: last update {TimeText.Ago(k.LastUpdateAt ?? k.FailingSince, now)}"
        + (string.IsNullOrWhiteSpace(k.Reason) ? "" : $" ({k.Reason})");

    private static DateTimeOffset? OldestUpdate(ClusterStatus status) => status.Stale.Min(k => k.LastUpdateAt ?? k.FailingSince);

    /// <summary>The namespaces the board watches, as the empty state names them ("kosmos" when the status does not say).</summary>
    public static string Namespaces(ClusterStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var names = status.Kinds.Select(k => k.Namespace).Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "kosmos" : string.Join(", ", names);
    }
}
