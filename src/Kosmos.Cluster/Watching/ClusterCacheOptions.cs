using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Kosmos.Cluster.Watching;

/// <summary>
/// Settings of the shared watch cache. Bound once at start-up from <c>Kosmos:ClusterCache</c>, except
/// <see cref="Namespaces"/>, which comes from <c>Kosmos:Namespaces</c> (default <c>kosmos</c>).
/// The defaults suit a real cluster; tests shorten the timings.
/// </summary>
public sealed class ClusterCacheOptions
{
    public const string SectionName = "Kosmos:ClusterCache";
    public const string NamespacesKey = "Kosmos:Namespaces";
    public const string DefaultNamespace = "kosmos";

    /// <summary>Namespaces to watch; one reflector per kind and namespace.</summary>
    public IList<string> Namespaces { get; set; } = [];

    /// <summary>Items per list page (<c>limit</c>); later pages follow <c>continue</c>.</summary>
    public int ListPageSize { get; set; } = 500;

    /// <summary>First delay after a failure; doubles per consecutive failure, with jitter.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Longest delay between attempts (also caps a server's Retry-After). Five seconds, not client-go's 30: a dashboard with
    /// a few reflectors costs an outage-hit API server little, and a person watching should see the recovery within seconds.
    /// </summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A kind whose lists and watches have been failing for this long is stale: the banner and /readyz say so, with when it
    /// last heard from the server, and the next successful attempt lists afresh.
    /// </summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a degraded kind (404, 403, ...) is tried again.</summary>
    public TimeSpan DegradedRetryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Each watch asks the server to end it after this long times a random 1–2 (client-go's spread), then resumes.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A watch that brings no event and no bookmark for this long is presumed dead (a half-open connection) and restarted.
    /// Keep it well above the server's bookmark interval (about a minute on a real API server).
    /// </summary>
    public TimeSpan SilentWatchTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The least time between two deliveries to subscribers. A change that arrives when the cache was quiet goes out at once;
    /// changes arriving within this long after a delivery wait for its end and go out together (coalesced only under load).
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Batches a subscriber may have unread before it is resynced with a fresh snapshot.</summary>
    public int SubscriberQueueCapacity { get; set; } = 100;

    /// <summary>API group of VolumeSnapshots.</summary>
    public string VolumeSnapshotGroup { get; set; } = "snapshot.storage.k8s.io";

    /// <summary>API version of VolumeSnapshots (older clusters serve only v1beta1).</summary>
    public string VolumeSnapshotVersion { get; set; } = "v1";
}

/// <summary>Names every bad setting by its configuration key, so a failed start says what to fix.</summary>
public sealed partial class ClusterCacheOptionsValidator : IValidateOptions<ClusterCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterCacheOptions options)
    {
        var errors = new List<string>();
        const string S = ClusterCacheOptions.SectionName;
        if (options.Namespaces.Count == 0)
        {
            errors.Add($"{ClusterCacheOptions.NamespacesKey} must name at least one namespace.");
        }

        foreach (var ns in options.Namespaces.Where(ns => !NamespaceName().IsMatch(ns ?? "")))
        {
            errors.Add($"{ClusterCacheOptions.NamespacesKey} contains '{ns}', which is not a namespace name (lower-case letters, digits and '-', at most 63).");
        }

        if (options.Namespaces.Distinct(StringComparer.Ordinal).Count() != options.Namespaces.Count)
        {
            errors.Add($"{ClusterCacheOptions.NamespacesKey} names a namespace twice.");
        }

        if (options.ListPageSize is < 1 or > 10_000)
        {
            errors.Add($"{S}:ListPageSize must be between 1 and 10000 (was {options.ListPageSize}).");
        }

        Positive(errors, $"{S}:InitialBackoff", options.InitialBackoff);
        Positive(errors, $"{S}:MaxBackoff", options.MaxBackoff);
        if (options.MaxBackoff < options.InitialBackoff)
        {
            errors.Add($"{S}:MaxBackoff ({options.MaxBackoff}) must not be shorter than {S}:InitialBackoff ({options.InitialBackoff}).");
        }

        Positive(errors, $"{S}:DegradedRetryInterval", options.DegradedRetryInterval);
        Positive(errors, $"{S}:StaleAfter", options.StaleAfter);
        if (options.WatchTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{S}:WatchTimeout must be at least one second (was {options.WatchTimeout}).");
        }

        Positive(errors, $"{S}:SilentWatchTimeout", options.SilentWatchTimeout);
        Positive(errors, $"{S}:BatchWindow", options.BatchWindow);
        if (options.SubscriberQueueCapacity < 1)
        {
            errors.Add($"{S}:SubscriberQueueCapacity must be at least 1 (was {options.SubscriberQueueCapacity}).");
        }

        if (string.IsNullOrWhiteSpace(options.VolumeSnapshotGroup))
        {
            errors.Add($"{S}:VolumeSnapshotGroup must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.VolumeSnapshotVersion))
        {
            errors.Add($"{S}:VolumeSnapshotVersion must not be empty.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be positive (was {value}).");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex NamespaceName();
}
