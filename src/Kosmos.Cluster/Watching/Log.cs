using Microsoft.Extensions.Logging;

namespace Kosmos.Cluster.Watching;

/// <summary>The cache's log messages: message templates with named properties (and no formatting cost when disabled).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Cluster cache starting: {ReflectorCount} reflectors for {Kinds} in namespaces {Namespaces}")]
    public static partial void Starting(ILogger logger, int reflectorCount, string kinds, string namespaces);

    [LoggerMessage(2, LogLevel.Information, "Cluster cache stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(3, LogLevel.Information, "Listed {Resource} in {Namespace}: {Count} objects at resourceVersion {ResourceVersion}, {Changes} changes ({Pages} pages)")]
    public static partial void Listed(ILogger logger, string resource, string @namespace, int count, string resourceVersion, int changes, int pages);

    [LoggerMessage(4, LogLevel.Debug, "Watching {Resource} in {Namespace} from resourceVersion {ResourceVersion} (timeout {TimeoutSeconds} s)")]
    public static partial void WatchStarting(ILogger logger, string resource, string @namespace, string resourceVersion, int timeoutSeconds);

    [LoggerMessage(5, LogLevel.Debug, "Watch of {Resource} in {Namespace} ended after {EventCount} events; resuming from resourceVersion {ResourceVersion}")]
    public static partial void WatchEnded(ILogger logger, string resource, string @namespace, int eventCount, string resourceVersion);

    [LoggerMessage(6, LogLevel.Warning, "Watch of {Resource} in {Namespace} was silent for {Silence}; restarting it from resourceVersion {ResourceVersion}")]
    public static partial void WatchSilent(ILogger logger, string resource, string @namespace, TimeSpan silence, string resourceVersion);

    [LoggerMessage(7, LogLevel.Information, "Watch of {Resource} in {Namespace} expired ({Error}); relisting")]
    public static partial void WatchExpired(ILogger logger, string resource, string @namespace, string error);

    [LoggerMessage(8, LogLevel.Warning, "{Operation} of {Resource} in {Namespace} failed ({Error}); retrying in {Delay} (failure {Failures})")]
    public static partial void TransientFailure(ILogger logger, string operation, string resource, string @namespace, string error, TimeSpan delay, int failures);

    [LoggerMessage(9, LogLevel.Error, "{Resource} in {Namespace} is degraded: {Reason}; retrying in {Delay}")]
    public static partial void Degraded(ILogger logger, string resource, string @namespace, string reason, TimeSpan delay);

    [LoggerMessage(10, LogLevel.Information, "{Resource} in {Namespace} recovered from degraded state")]
    public static partial void Recovered(ILogger logger, string resource, string @namespace);

    [LoggerMessage(11, LogLevel.Information, "List of {Resource} in {Namespace}: continue token expired; listing again without paging")]
    public static partial void ContinueExpired(ILogger logger, string resource, string @namespace);

    [LoggerMessage(12, LogLevel.Warning, "Subscriber {SubscriberId} fell {Capacity} batches behind; resynced with a fresh snapshot")]
    public static partial void SubscriberResynced(ILogger logger, int subscriberId, int capacity);

    [LoggerMessage(13, LogLevel.Error, "A StatusChanged handler failed")]
    public static partial void StatusHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(14, LogLevel.Error, "Reflector for {Resource} in {Namespace} failed unexpectedly; restarting it")]
    public static partial void ReflectorCrashed(ILogger logger, Exception exception, string resource, string @namespace);

    [LoggerMessage(20, LogLevel.Information, "{Resource} in {Namespace}: the API server answers again; the cache is up to date")]
    public static partial void ContactRestored(ILogger logger, string resource, string @namespace);
}
