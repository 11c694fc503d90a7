using System.Globalization;
using Kosmos.Recovery.Status;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>Times as the dashboard prints them; durations use kubectl's wording (<see cref="KubeDuration"/>) so the page and a terminal agree.</summary>
public static class TimeText
{
    public const string None = "—";

    /// <summary>"5m ago", or a dash when unknown.</summary>
    public static string Ago(DateTimeOffset? at, DateTimeOffset now) => at is null ? None : KubeDuration.Since(at, now) + " ago";

    /// <summary>"5m" (how long something has lasted), or a dash when unknown.</summary>
    public static string Duration(DateTimeOffset? since, DateTimeOffset now) => since is null ? None : KubeDuration.Since(since, now);

    /// <summary>"2025-12-13 10:04:05 UTC", for tooltips and exact fields.</summary>
    public static string Stamp(DateTimeOffset? at) =>
        at is null ? None : at.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"2025-12-13 10:04:05 UTC (5m ago)".</summary>
    public static string StampAgo(DateTimeOffset? at, DateTimeOffset now) => at is null ? None : $"{Stamp(at)} ({Ago(at, now)})";
}
