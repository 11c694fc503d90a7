using Serilog.Events;

namespace Kosmos.Dashboard.Infrastructure;

/// <summary>
/// The level of each request's completion line (Serilog's request logging). The kubelet asks <c>/healthz</c> and
/// <c>/readyz</c> every few seconds: an answered probe is Debug, and a 503 from one (not ready while the watch caches sync
/// at start-up) a Warning, not an Error — before, every start wrote a column of ERR lines that log-based alerting would
/// page on. Everything else keeps Serilog's default: Error for an exception or a 5xx, Information otherwise.
/// </summary>
public static class RequestLogLevels
{
    public static LogEventLevel For(HttpContext http, double elapsedMs, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(http);
        var failed = exception is not null || http.Response.StatusCode > 499;
        return IsProbe(http.Request.Path)
            ? exception is null && failed ? LogEventLevel.Warning : failed ? LogEventLevel.Error : LogEventLevel.Debug
            : failed ? LogEventLevel.Error : LogEventLevel.Information;
    }

    private static bool IsProbe(PathString path) =>
        path.Equals("/healthz", StringComparison.OrdinalIgnoreCase) || path.Equals("/readyz", StringComparison.OrdinalIgnoreCase);
}
