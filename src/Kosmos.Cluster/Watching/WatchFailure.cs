using System.Globalization;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;

namespace Kosmos.Cluster.Watching;

internal enum FailureKind
{
    /// <summary>Worth retrying soon with backoff: 5xx, 429, timeouts, broken connections, unreadable lines.</summary>
    Transient,

    /// <summary>410 Gone/Expired: the resourceVersion is too old; relist.</summary>
    Gone,

    /// <summary>The server refuses this kind (404, 403, 401, other 4xx): degrade it and retry slowly.</summary>
    Refused,
}

/// <summary>What went wrong with a list or watch, classified for the reflector loop.</summary>
internal sealed record WatchFailure(FailureKind Kind, int? StatusCode, string Message, TimeSpan? RetryAfter)
{
    /// <param name="now">For a Retry-After given as a date.</param>
    /// <param name="exception">What the list or watch threw.</param>
    public static WatchFailure From(Exception exception, DateTimeOffset now) => exception switch
    {
        HttpOperationException http => FromStatus((int)http.Response.StatusCode, StatusMessage(http), RetryAfterOf(http, now)),
        KubernetesException { Status: { } status } => FromStatus(status.Code, $"{status.Reason}: {status.Message}", null),
        KubernetesException k => new WatchFailure(FailureKind.Transient, null, k.Message, null),
        JsonException json => new WatchFailure(FailureKind.Transient, null, $"unreadable watch event: {json.Message}", null),
        _ => new WatchFailure(FailureKind.Transient, null, $"{exception.GetType().Name}: {exception.Message}", null),
    };

    private static WatchFailure FromStatus(int? code, string message, TimeSpan? retryAfter)
    {
        var kind = code switch
        {
            410 => FailureKind.Gone,
            408 or 429 => FailureKind.Transient,
            >= 400 and < 500 => FailureKind.Refused,
            _ => FailureKind.Transient,
        };
        return new WatchFailure(kind, code, code is null ? message : $"{code} {message}", retryAfter);
    }

    private static string StatusMessage(HttpOperationException http)
    {
        // The body is a Status; its reason and message say more than the exception's "invalid status code".
        try
        {
            if (!string.IsNullOrEmpty(http.Response.Content))
            {
                using var body = JsonDocument.Parse(http.Response.Content);
                if (body.RootElement is { ValueKind: JsonValueKind.Object } status && status.TryGetProperty("message", out var message))
                {
                    var reason = status.TryGetProperty("reason", out var r) ? r.GetString() : null;
                    return reason is null ? message.GetString() ?? "" : $"{reason}: {message.GetString()}";
                }
            }
        }
        catch (JsonException)
        {
            // Not a Status: fall back to the status line.
        }

        return http.Response.ReasonPhrase ?? ((HttpStatusCode)(int)http.Response.StatusCode).ToString();
    }

    private static TimeSpan? RetryAfterOf(HttpOperationException http, DateTimeOffset now)
    {
        var value = http.Response.Headers?
            .FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?
            .FirstOrDefault();
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (at > now ? at - now : TimeSpan.Zero)
            : null;
    }
}
